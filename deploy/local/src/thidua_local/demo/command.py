"""`thidua demo`: plays the 2018 year against a running system, then prints the summary."""

import argparse
import asyncio
import logging
from pathlib import Path

import httpx

from thidua_local.demo.client import DemoError, TokenFactory
from thidua_shared.platform.auth import AuthConfig, Role, issue_development_token
from thidua_shared.platform.local_data import DEFAULT_DATA_DIR, development_signing_key
from thidua_shared.platform.settings import ServiceSettings


def token_factory(data_dir: Path) -> TokenFactory:
    settings = ServiceSettings()
    config = AuthConfig(
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
        signing_key=settings.auth_signing_key or development_signing_key(data_dir),
        jwks_url=None,
    )

    def issue(role: Role, unit: str | None) -> str:
        return issue_development_token(config, role, unit_code=unit, subject=f"demo-{role}")

    return issue


async def _play(args: argparse.Namespace) -> None:
    from thidua_local.demo.run import play_year
    from thidua_local.demo.summary import summarise

    async with httpx.AsyncClient(base_url=args.url, timeout=120) as http:
        result = await play_year(
            http,
            token_factory(Path(args.data_dir)),
            out_dir=Path(args.out),
            seed=args.seed,
            members=args.members,
            progress=lambda line: print(f"• {line}", flush=True),
        )
    print(summarise(result), flush=True)


def run_demo(args: argparse.Namespace) -> None:
    try:
        asyncio.run(_play(args))
    except DemoError as error:
        raise SystemExit(f"demo stopped: {error}") from None
    except httpx.ConnectError:
        raise SystemExit(
            f"nothing answers at {args.url}: start the system first (uv run thidua up)"
        ) from None


def add_demo_command(demo: argparse.ArgumentParser) -> None:
    demo.add_argument("--url", default="http://127.0.0.1:8000", help="the gateway address")
    demo.add_argument("--out", default="thidua-demo-2018", help="where the documents go")
    demo.add_argument("--seed", type=int, default=2018, help="the people are generated from it")
    demo.add_argument("--members", type=int, default=150)
    demo.add_argument(
        "--data-dir", default=DEFAULT_DATA_DIR, help="where `thidua up` keeps its key"
    )
    # The demo prints its own progress; library chatter would drown it.
    demo.set_defaults(run=run_demo, log_level=logging.WARNING)
