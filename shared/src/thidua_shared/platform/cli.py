"""`python -m <service> migrate|serve`: what an operator runs for one service."""

import argparse
import logging

import uvicorn

from thidua_shared.platform.app import ServiceSpec, create_service_app
from thidua_shared.platform.migrations import migrate


def service_main(spec: ServiceSpec, argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=spec.name, description=spec.title)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply the database migrations")
    serve = commands.add_parser("serve", help="serve the HTTP API and consume events")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = spec.settings_factory()
    if args.command == "migrate":
        migrate(spec.migrations, settings.resolved_database_url())
    else:
        app = create_service_app(spec, settings=settings)
        uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="warning")
