"""`python -m <service> migrate|serve`: what an operator runs for one service."""

import argparse
import contextlib
import logging

import uvicorn
import uvloop

from thidua_shared.platform.app import ServiceSpec, create_service_app, run_relay
from thidua_shared.platform.migrations import migrate


def service_main(spec: ServiceSpec, argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=spec.name, description=spec.title)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply the database migrations")
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
    if args.command == "migrate":
        migrate(spec.migrations, settings.resolved_database_url())
    elif args.command == "relay":
        with contextlib.suppress(KeyboardInterrupt):
            uvloop.run(run_relay(spec, settings))
    else:
        app = create_service_app(spec, settings=settings)
        uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="warning")
