"""`python -m <service> migrate|serve|relay|audit-verify|dead-letters|replay|…`: what an
operator runs for one service. Each command takes `--data-dir` to work against a running
`thidua up`."""

import argparse
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from thidua_shared.platform.app import ServiceSpec
from thidua_shared.platform.local_data import (
    DEFAULT_DATA_DIR,
    audit_checkpoint_dir,
    development_audit_key,
    development_signing_key,
    embedded_database_url,
)
from thidua_shared.platform.logs import configure_logging
from thidua_shared.platform.ops_cli import (
    configure_dead_letters,
    configure_replay,
    driver_dsn,
    run_dead_letters,
    run_replay,
)
from thidua_shared.platform.settings import ServiceSettings


@dataclass(frozen=True)
class Command:
    """A service's own command beside the common ones (the campaigns scheduler, say)."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, ServiceSettings], None]


def add_probe_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--health-port",
        type=int,
        default=None,
        help="serve /healthz and /readyz on this port (none when not given)",
    )
    parser.add_argument("--health-host", default="127.0.0.1")


def _with_data_dir(settings: ServiceSettings, data_dir: str | None) -> ServiceSettings:
    """Settings that reach the running all-in-one system kept in `data_dir`, where the
    environment names no database or token key of its own."""
    if data_dir is None:
        return settings
    folder = Path(data_dir)
    update: dict[str, object] = {}
    if not (settings.database_url or settings.server_database_url):
        url = embedded_database_url(folder)
        if url is None:
            raise SystemExit(
                f"no running embedded database under {folder / 'pgdata'}: start `thidua up "
                f"--data-dir {data_dir}` first"
            )
        # The service as its own role (made by `thidua up`), its migrations as the server's
        # owner, as in a deployment (docs/adr/0016).
        update["server_database_url"] = embedded_database_url(folder, settings.service_name)
        update["server_migration_database_url"] = url
    if not (settings.auth_signing_key or settings.auth_jwks_url):
        update["auth_signing_key"] = development_signing_key(folder)
    if not settings.audit_key:
        update["audit_key"] = development_audit_key(folder)
    if settings.audit_checkpoint_dir is None:
        update["audit_checkpoint_dir"] = audit_checkpoint_dir(folder)
    return settings.model_copy(update=update)


def _verify_audit(spec: ServiceSpec, settings: ServiceSettings, files: list[Path]) -> None:
    import asyncpg
    import uvloop

    from thidua_shared.platform.audit_anchor import (
        Verification,
        checkpoint_file,
        read_checkpoints,
        verify_trail,
    )

    if not files and settings.audit_checkpoint_dir is not None:
        kept = checkpoint_file(settings.audit_checkpoint_dir, spec.name)
        files = [kept] if kept.exists() else []
    checkpoints = read_checkpoints(files, spec.name)

    async def verify() -> Verification:
        connection = await asyncpg.connect(driver_dsn(settings))
        try:
            return await verify_trail(connection, settings.audit_chain_key(), checkpoints)
        finally:
            await connection.close()

    result = uvloop.run(verify())
    print(result.summary())  # noqa: T201
    if result.findings:
        raise SystemExit("\n".join(f"audit trail broken: {f}" for f in result.findings))
    print("audit trail intact")  # noqa: T201


def service_main(
    spec: ServiceSpec, argv: list[str] | None = None, extra: Sequence[Command] = ()
) -> None:
    defaults = argparse.ArgumentDefaultsHelpFormatter
    parser = argparse.ArgumentParser(
        prog=f"python -m {spec.name}", description=spec.title, formatter_class=defaults
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def data_dir(parser: argparse.ArgumentParser, default: object = None) -> None:
        parser.add_argument(
            "--data-dir",
            default=default,
            help=f"reach the running `thidua up` that keeps its data here (e.g. "
            f"{DEFAULT_DATA_DIR}) instead of the configured database",
        )

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=help_text, description=help_text, formatter_class=defaults
        )
        data_dir(sub)
        return sub

    command("migrate", "apply the database migrations")
    verify = command(
        "audit-verify",
        "check the audit trail's keyed chain and its checkpoints; say where it is broken",
    )
    verify.add_argument(
        "--checkpoints",
        type=Path,
        action="append",
        default=[],
        help="a file of audit.checkpointed events, one JSON object a line (default: the one "
        "under THIDUA_AUDIT_CHECKPOINT_DIR or the data dir)",
    )
    relay = command(
        "relay",
        "run the outbox relay on its own (with <SERVICE>_RELAY_IN_PROCESS=false on the "
        "serving processes)",
    )
    add_probe_arguments(relay)
    serve = command("serve", "serve the HTTP API and consume events")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    # An action's own --data-dir, so it may follow the action; given before it, the
    # command's stands (SUPPRESS: an action's default must not overwrite it).
    configure_dead_letters(
        command("dead-letters", "list, show, redrive or purge the events this service gave up on"),
        lambda action: data_dir(action, argparse.SUPPRESS),
    )
    if spec.handlers:
        configure_replay(
            command(
                "replay",
                "apply the archive stream's events this service consumes, through its handlers "
                "(rebuilds its copy of other services' data; the inbox skips what it has)",
            )
        )
    for own in extra:
        own.configure(command(own.name, own.help))
    args = parser.parse_args(argv)

    configure_logging()
    settings = _with_data_dir(spec.settings_factory(), args.data_dir)
    if args.command in ("serve", "relay") and not settings.amqp_url:
        # On its own a service has nobody to deliver to in-process: its events would be relayed
        # into the void. The all-in-one mode (`thidua up`) is the way to run without a broker.
        raise SystemExit(f"{spec.name} {args.command} needs THIDUA_AMQP_URL (or run `thidua up`)")
    for own in extra:
        if args.command == own.name:
            own.run(args, settings)
            return
    if args.command == "dead-letters":
        run_dead_letters(spec, args, settings)
    elif args.command == "replay":
        run_replay(spec, args, settings)
    elif args.command == "migrate":
        from thidua_shared.platform.migrations import migrate

        migrate(
            spec.migrations,
            settings.resolved_migration_database_url(),
            runtime_url=settings.resolved_database_url(),
        )
    elif args.command == "audit-verify":
        _verify_audit(spec, settings, args.checkpoints)
    elif args.command == "relay":
        import uvloop

        from thidua_shared.platform.app import run_relay

        with contextlib.suppress(KeyboardInterrupt):
            uvloop.run(
                run_relay(settings, health_host=args.health_host, health_port=args.health_port)
            )
    else:
        import uvicorn

        from thidua_shared.platform.app import create_service_app

        app = create_service_app(spec, settings=settings, serving=True)
        uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="warning")
