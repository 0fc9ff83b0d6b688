import argparse
import asyncio

import httpx
import uvloop

from campaigns.config import Settings
from campaigns.main import spec
from campaigns.scheduler import run_standalone
from campaigns.seed import load_seed
from thidua_shared.platform.cli import Command, add_probe_arguments, service_main
from thidua_shared.platform.settings import ServiceSettings


def _configure_seed(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True, help="an office bearer token")
    parser.add_argument("--draft", action="store_true", help="leave the plan unlaunched")


def _seed(args: argparse.Namespace, settings: ServiceSettings) -> None:
    async def load() -> None:
        headers = {"Authorization": f"Bearer {args.token}"}
        async with httpx.AsyncClient(base_url=args.base_url, headers=headers, timeout=30) as client:
            print(await load_seed(client, launch=not args.draft))  # noqa: T201

    asyncio.run(load())


def _scheduler(args: argparse.Namespace, settings: ServiceSettings) -> None:
    assert isinstance(settings, Settings)
    uvloop.run(run_standalone(settings, health_host=args.health_host, health_port=args.health_port))


service_main(
    spec,
    extra=[
        Command(
            "scheduler",
            "open and close phases on their dates, beside `serve` (any number of instances: "
            "each transition happens once)",
            add_probe_arguments,
            _scheduler,
        ),
        Command("seed", "load the 2018 plan and its units through the API", _configure_seed, _seed),
    ],
)
