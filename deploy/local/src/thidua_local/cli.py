"""`thidua up` (the whole system in one process), `migrate`, `gateway`, `asyncapi` and
`api-docs`."""

import argparse
import logging
import secrets
import signal
import socket
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from thidua_shared.platform.local_data import DEFAULT_DATA_DIR
from thidua_shared.platform.logs import configure_logging

if TYPE_CHECKING:
    from fastapi import FastAPI

    from thidua_shared.platform.settings import ServiceSettings


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _stop_on_sighup() -> None:
    # A closed terminal (SIGHUP) stops the system as SIGTERM does: gracefully, with the embedded
    # database. Until uvicorn takes SIGTERM over, it ends start-up the same way.
    def terminate(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, lambda signum, frame: signal.raise_signal(signal.SIGTERM))


def _announcing_server_class() -> type:
    import uvicorn

    class AnnouncingServer(uvicorn.Server):
        """Says the system is up only once it listens."""

        def __init__(self, config: uvicorn.Config, announcement: str) -> None:
            super().__init__(config)
            self.announcement = announcement

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                print(self.announcement, flush=True)

    return AnnouncingServer


def console_app(args: argparse.Namespace, services: "ServiceSettings") -> "FastAPI":
    """The web console at /, calling the APIs through this same address; its development
    login is on only in the demo mode, signing with the key the services verify."""
    from thidua_console.app import create_console_app
    from thidua_console.settings import ConsoleSettings

    host = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host
    own_url = f"http://{host}:{args.port}"
    env = ConsoleSettings()
    demo = bool(args.demo_clock) and bool(services.auth_signing_key)
    # Kept beside the data, so a restarted `thidua up` keeps its users logged in.
    key_file = Path(args.data_dir) / "console-session-key"
    if not env.session_key and not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        key_file.chmod(0o600)
    settings = env.model_copy(
        update={
            "session_key": env.session_key or key_file.read_text(encoding="utf-8").strip(),
            "api_url": own_url,
            "public_url": env.public_url if env.oidc_issuer else own_url,
            "dev_login": demo,
            "auth_signing_key": services.auth_signing_key if demo else None,
            "auth_issuer": services.auth_issuer,
            "auth_audience": services.auth_audience,
        }
    )
    return create_console_app(settings)


def _up(args: argparse.Namespace) -> None:
    import uvicorn

    from thidua_local.allinone import build_apps, migrate_all, resolve_settings
    from thidua_local.gateway import PrefixDispatcher
    from thidua_shared.platform.tracing import configure_tracing

    if not _port_is_free(args.host, args.port):
        raise SystemExit(
            f"{args.host}:{args.port} is in use (is thidua already up?); choose another --port"
        )
    _stop_on_sighup()
    settings, embedded = resolve_settings(Path(args.data_dir))
    try:
        if args.demo_clock:
            settings = {n: s.model_copy(update={"demo_clock": True}) for n, s in settings.items()}
        # In one process the scheduler moves phases on their dates, as in production.
        settings["campaigns"] = settings["campaigns"].model_copy(
            update={"scheduler_in_process": True, "scheduler_interval_seconds": 1.0}
        )
        migrate_all(settings, make_roles=embedded is not None)
        # One process, one trace provider: named for the system rather than its first service.
        configure_tracing("thidua")
        apps = build_apps(settings)
        dispatcher = PrefixDispatcher(
            apps,
            on_shutdown=embedded.stop if embedded else None,
            console=console_app(args, settings["campaigns"]),
        )
        # log_config=None: uvicorn's own lines go through the project's format, not its own.
        config = uvicorn.Config(
            dispatcher,
            host=args.host,
            port=args.port,
            access_log=False,
            log_level="warning",
            log_config=None,
        )
        announcement = (
            f"thidua is up on http://{args.host}:{args.port}/ (the console)  — API docs: "
            + ", ".join(f"http://{args.host}:{args.port}/{name}/docs" for name in apps)
            + "\nA token to call them with: uv run thidua token --role office"
        )
        _announcing_server_class()(config, announcement).run()
    finally:
        # Reached on a failed start-up and on SIGINT; after SIGTERM uvicorn re-raises the
        # signal, and the dispatcher's shutdown has stopped the database already.
        if embedded is not None:
            embedded.stop()


def _migrate(args: argparse.Namespace) -> None:
    from thidua_local.allinone import migrate_all, resolve_settings

    settings, embedded = resolve_settings(Path(args.data_dir))
    try:
        migrate_all(settings, make_roles=embedded is not None)
    finally:
        if embedded is not None:
            embedded.stop()


def _gateway(args: argparse.Namespace) -> None:
    import uvicorn

    from thidua_local.gateway import SERVICES, HttpProxy
    from thidua_shared.platform.heap import freeze_startup_objects

    upstreams = dict(item.split("=", 1) for item in args.upstream)
    unknown = set(upstreams) - set(SERVICES)
    if unknown:
        raise SystemExit(f"unknown service(s): {', '.join(sorted(unknown))}")
    proxy = HttpProxy(upstreams)
    freeze_startup_objects()
    uvicorn.run(proxy, host=args.host, port=args.port, access_log=False, log_level="warning")


def _token(args: argparse.Namespace) -> None:
    from thidua_shared.platform.auth import AuthConfig, Role, issue_development_token
    from thidua_shared.platform.local_data import development_signing_key
    from thidua_shared.platform.settings import ServiceSettings

    settings = ServiceSettings()
    key = settings.auth_signing_key or development_signing_key(Path(args.data_dir))
    config = AuthConfig(
        issuer=settings.auth_issuer, audience=settings.auth_audience, signing_key=key, jwks_url=None
    )
    print(
        issue_development_token(config, Role(args.role), unit_code=args.unit, ttl_seconds=args.ttl)
    )


def _asyncapi(args: argparse.Namespace) -> None:
    import json

    import yaml

    from thidua_local.asyncapi import build_document

    content = build_document()
    if args.output.endswith((".yaml", ".yml")):
        text = yaml.safe_dump(content, sort_keys=True, allow_unicode=True)
    else:
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, indent=2)
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")


def _api_docs(args: argparse.Namespace) -> None:
    from thidua_local.api_docs import write_published_files

    for path in write_published_files(Path(args.output_dir)):
        print(f"wrote {path}")


def main(argv: list[str] | None = None) -> None:
    from thidua_local.demo.command import add_demo_command
    from thidua_shared.platform.auth import Role

    defaults = argparse.ArgumentDefaultsHelpFormatter
    parser = argparse.ArgumentParser(prog="thidua", description=__doc__, formatter_class=defaults)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name, help=help_text, description=help_text, formatter_class=defaults
        )

    up = command("up", "run the whole system in one process")
    up.add_argument("--host", default="127.0.0.1")
    up.add_argument("--port", type=int, default=8000)
    up.add_argument(
        "--data-dir", default=DEFAULT_DATA_DIR, help="where the embedded database lives"
    )
    up.add_argument(
        "--demo-clock",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the demo mode: the office may move the services' clock (the demo plays 2018 in "
        "minutes) and the console offers a development login",
    )
    up.set_defaults(run=_up, log_level=logging.INFO)
    mig = command("migrate", "apply every service's migrations")
    mig.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    mig.set_defaults(run=_migrate, log_level=logging.INFO)
    gw = command("gateway", "one address in front of separately run services")
    gw.add_argument("--host", default="127.0.0.1")
    gw.add_argument("--port", type=int, default=8000)
    gw.add_argument("--upstream", action="append", default=[], metavar="SERVICE=URL")
    gw.set_defaults(run=_gateway, log_level=logging.INFO)
    token = command("token", "print a development token for the all-in-one mode")
    token.add_argument("--role", required=True, choices=[r.value for r in Role])
    token.add_argument("--unit", help="the unit code, for a unit head")
    token.add_argument("--ttl", type=int, default=8 * 3600, help="lifetime in seconds")
    token.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    token.set_defaults(run=_token, log_level=logging.WARNING)
    add_demo_command(command("demo", "play the 2018 movement against a running system"))
    spec = command("asyncapi", "write the event catalogue as AsyncAPI")
    spec.add_argument("--output", default="docs/asyncapi.yaml")
    spec.set_defaults(run=_asyncapi, log_level=logging.WARNING)
    api_docs = command(
        "api-docs",
        "write the four APIs' merged OpenAPI and its Swagger UI page, as nginx serves them",
    )
    api_docs.add_argument("--output-dir", default="deploy/nginx/api")
    api_docs.set_defaults(run=_api_docs, log_level=logging.WARNING)
    args = parser.parse_args(argv)
    configure_logging(args.log_level)
    args.run(args)
