"""`python -m thidua_console serve`: the console as its own process."""

import argparse
import logging

from thidua_shared.platform.logs import configure_logging


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="thidua_console", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve the console (settings from THIDUA_CONSOLE_*)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    configure_logging(logging.INFO)
    import uvicorn

    from thidua_console.app import create_console_app

    uvicorn.run(
        create_console_app(),
        host=args.host,
        port=args.port,
        access_log=False,
        log_config=None,
        proxy_headers=True,
    )


if __name__ == "__main__":
    main()
