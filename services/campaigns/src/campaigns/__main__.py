import argparse
import asyncio
import sys

import httpx
import uvloop

from campaigns.config import Settings
from campaigns.main import spec
from campaigns.scheduler import run_standalone
from campaigns.seed import load_seed
from thidua_shared.platform.cli import service_main


async def _seed(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="campaigns seed", description="Load the 2018 plan.")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True, help="an office bearer token")
    parser.add_argument("--draft", action="store_true", help="leave the plan unlaunched")
    args = parser.parse_args(argv)
    headers = {"Authorization": f"Bearer {args.token}"}
    async with httpx.AsyncClient(base_url=args.base_url, headers=headers, timeout=30) as client:
        campaign_id = await load_seed(client, launch=not args.draft)
    print(campaign_id)  # noqa: T201


if sys.argv[1:2] == ["scheduler"]:
    # Opens and closes phases on their dates, beside `serve` (any number of instances).
    uvloop.run(run_standalone(Settings()))
elif sys.argv[1:2] == ["seed"]:
    asyncio.run(_seed(sys.argv[2:]))
else:
    service_main(spec)
