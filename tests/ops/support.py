"""What the operations tests share: a service's command run as an operator runs it, and a
payload for the pledges service."""

import asyncio
import os
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import uuid4

from tests.support.broker import BrokerNames
from tests.support.processes import ROOT
from thidua_shared.contracts.campaigns import (
    CampaignLaunched,
    ClusterSnapshot,
    PhaseSnapshot,
    UnitSnapshot,
)
from thidua_shared.testing import AMQP_URL, TEST_AUDIT_KEY


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


async def service_cli(
    service: str, *args: str, database: str, names: BrokerNames | None = None
) -> Ran:
    """`python -m <service> <args>` on `database`, on the broker under `names`, or without a
    broker (the all-in-one mode's stored dead letters) when none are given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    env[f"{service.upper()}_DATABASE_URL"] = database
    env["THIDUA_AUDIT_KEY"] = TEST_AUDIT_KEY
    if names is not None:
        env |= {
            "THIDUA_AMQP_URL": AMQP_URL,
            "THIDUA_EVENTS_EXCHANGE": names.exchange,
            "THIDUA_QUEUE_PREFIX": names.queue_prefix,
        }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        service,
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return Ran(process.returncode, out.decode(), err.decode())


def launched(units: tuple[str, ...] = ("VP", "TTCNTT")) -> CampaignLaunched:
    return CampaignLaunched(
        campaign_id=uuid4(),
        document_number="60/KH-STTTT",
        title="Kế hoạch phát động phong trào thi đua năm 2018",
        year=2018,
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 31),
        registration_deadline=date(2018, 3, 31),
        rule_set="law-2013-decree-91-2017",
        phases=[
            PhaseSnapshot(
                number=1, name="Đợt 1", starts_on=date(2018, 1, 1), ends_on=date(2018, 6, 30)
            ),
            PhaseSnapshot(
                number=2, name="Đợt 2", starts_on=date(2018, 7, 1), ends_on=date(2018, 12, 31)
            ),
        ],
        units=[UnitSnapshot(code=code, name=f"Đơn vị {code}", cluster="Cụm 1") for code in units],
        clusters=[ClusterSnapshot(name="Cụm 1", unit_codes=list(units))],
        launched_at=datetime(2018, 1, 5, 8, 0, tzinfo=UTC),
        issuing_agency="Sở Thông tin và Truyền thông",
        place_of_issue="Đồng Nai",
    )
