"""`python -m <service> migrate|serve`: what an operator runs for one service."""

import argparse
import contextlib
import logging

import asyncpg
import uvicorn
import uvloop
from sqlalchemy.engine import make_url

from thidua_shared.platform.app import ServiceSpec, create_service_app, run_relay
from thidua_shared.platform.audit import verify_chain
from thidua_shared.platform.migrations import migrate


async def _verify_audit(database_url: str) -> int | None:
    dsn = make_url(database_url).set(drivername="postgresql")
    connection = await asyncpg.connect(dsn.render_as_string(hide_password=False))
    try:
        return await verify_chain(connection)
    finally:
        await connection.close()


def service_main(spec: ServiceSpec, argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=spec.name, description=spec.title)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply the database migrations")
    commands.add_parser("audit-verify", help="check the audit trail's hash chain")
    commands.add_parser(
        "relay",
        help="run the outbox relay on its own (with "
        "<SERVICE>_RELAY_IN_PROCESS=false on the serving processes)",
    )
    serve = commands.add_parser("serve", help="serve the HTTP API and consume events")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = spec.settings_factory()
    if args.command in ("serve", "relay") and not settings.amqp_url:
        # On its own a service has nobody to deliver to in-process: its events would be relayed
        # into the void. The all-in-one mode (`thidua up`) is the way to run without a broker.
        raise SystemExit(f"{spec.name} {args.command} needs THIDUA_AMQP_URL (or run `thidua up`)")
    if args.command == "migrate":
        migrate(spec.migrations, settings.resolved_database_url())
    elif args.command == "audit-verify":
        broken = uvloop.run(_verify_audit(settings.resolved_database_url()))
        if broken is not None:
            raise SystemExit(
                f"audit trail broken at record {broken}: it was changed or a "
                "record before it was removed"
            )
        print("audit trail intact")  # noqa: T201
    elif args.command == "relay":
        with contextlib.suppress(KeyboardInterrupt):
            uvloop.run(run_relay(settings))
    else:
        app = create_service_app(spec, settings=settings)
        uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="warning")
