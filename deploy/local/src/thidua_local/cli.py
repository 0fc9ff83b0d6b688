"""`thidua up` (the whole system in one process), `migrate`, `gateway` and `asyncapi`."""

import argparse
import json
import logging
from pathlib import Path

import uvicorn
import yaml

from thidua_local.demo.command import add_demo_command
from thidua_local.gateway import SERVICES, HttpProxy, PrefixDispatcher
from thidua_shared.platform.auth import Role
from thidua_shared.platform.settings import ServiceSettings


def _up(args: argparse.Namespace) -> None:
    from thidua_local.allinone import build_apps, migrate_all, resolve_settings

    settings = resolve_settings(Path(args.data_dir))
    if args.demo_clock:
        settings = {n: s.model_copy(update={"demo_clock": True}) for n, s in settings.items()}
    # In one process the scheduler moves phases on their dates, as in production.
    settings["campaigns"] = settings["campaigns"].model_copy(
        update={"scheduler_in_process": True, "scheduler_interval_seconds": 1.0}
    )
    migrate_all(settings)
    apps = build_apps(settings)
    print(
        f"thidua is up on http://{args.host}:{args.port}/  — API docs: "
        + ", ".join(f"http://{args.host}:{args.port}/{name}/docs" for name in apps)
        + "\nA token to call them with: uv run thidua token --role office",
        flush=True,
    )
    uvicorn.run(
        PrefixDispatcher(apps),
        host=args.host,
        port=args.port,
        access_log=False,
        log_level="warning",
    )


def _migrate(args: argparse.Namespace) -> None:
    from thidua_local.allinone import migrate_all, resolve_settings

    migrate_all(resolve_settings(Path(args.data_dir)))


def _gateway(args: argparse.Namespace) -> None:
    upstreams = dict(item.split("=", 1) for item in args.upstream)
    unknown = set(upstreams) - set(SERVICES)
    if unknown:
        raise SystemExit(f"unknown service(s): {', '.join(sorted(unknown))}")
    uvicorn.run(
        HttpProxy(upstreams), host=args.host, port=args.port, access_log=False, log_level="warning"
    )


def _token(args: argparse.Namespace) -> None:
    from thidua_local.allinone import development_signing_key
    from thidua_shared.platform.auth import AuthConfig, Role, issue_development_token

    settings = ServiceSettings()
    key = settings.auth_signing_key or development_signing_key(Path(args.data_dir))
    config = AuthConfig(
        issuer=settings.auth_issuer, audience=settings.auth_audience, signing_key=key, jwks_url=None
    )
    print(
        issue_development_token(config, Role(args.role), unit_code=args.unit, ttl_seconds=args.ttl)
    )


def _asyncapi(args: argparse.Namespace) -> None:
    from thidua_local.allinone import SPECS
    from thidua_local.asyncapi import build_document

    document = build_document(SPECS).to_specification()
    # Sorted keys: the generator's own order varies between runs, which made every
    # regeneration a large diff.
    content = yaml.safe_load(document.to_yaml())
    if args.output.endswith((".yaml", ".yml")):
        text = yaml.safe_dump(content, sort_keys=True, allow_unicode=True)
    else:
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, indent=2)
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="thidua", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="run the whole system in one process")
    up.add_argument("--host", default="127.0.0.1")
    up.add_argument("--port", type=int, default=8000)
    up.add_argument("--data-dir", default=".thidua", help="where the embedded database lives")
    up.add_argument(
        "--demo-clock",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="let the office move the services' clock (the demo plays 2018 in minutes)",
    )
    up.set_defaults(run=_up)
    mig = commands.add_parser("migrate", help="apply every service's migrations")
    mig.add_argument("--data-dir", default=".thidua")
    mig.set_defaults(run=_migrate)
    gw = commands.add_parser("gateway", help="one address in front of separately run services")
    gw.add_argument("--host", default="127.0.0.1")
    gw.add_argument("--port", type=int, default=8000)
    gw.add_argument("--upstream", action="append", default=[], metavar="SERVICE=URL")
    gw.set_defaults(run=_gateway)
    token = commands.add_parser("token", help="a development token for the all-in-one mode")
    token.add_argument("--role", required=True, choices=[r.value for r in Role])
    token.add_argument("--unit", help="the unit code, for a unit head")
    token.add_argument("--ttl", type=int, default=8 * 3600, help="seconds")
    token.add_argument("--data-dir", default=".thidua")
    token.set_defaults(run=_token)
    add_demo_command(commands)
    spec = commands.add_parser("asyncapi", help="write the event catalogue as AsyncAPI")
    spec.add_argument("--output", default="docs/asyncapi.yaml")
    spec.set_defaults(run=_asyncapi)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    args.run(args)
