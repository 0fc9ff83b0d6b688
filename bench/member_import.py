"""Member import benchmark: one request replacing a registration's members from an XLSX file.

    uv run python bench/member_import.py [--members 500] [--repeat 10]

Runs the pledges service in this process against the local PostgreSQL (its real migrations, the
real HTTP stack through an ASGI client, an office token) and prints the time of each import.
"""

import argparse
import asyncio
import io
import statistics
import time
from datetime import UTC, date, datetime
from uuid import uuid4

from openpyxl import Workbook

from pledges.main import spec
from thidua_shared.contracts.campaigns import CampaignLaunched, PhaseSnapshot, UnitSnapshot
from thidua_shared.testing import RecordingBus, migrated_database, running_service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(members: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã cán bộ", "Họ và tên", "Danh hiệu đăng ký"])
    for i in range(1, members + 1):
        sheet.append([f"CB{i:05d}", f"Nguyễn Thị Thanh Hương {i}", "Lao động tiên tiến"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def run(members: int, repeat: int) -> None:
    database = await migrated_database(spec, "thidua_bench_member_import")
    content = workbook(members)
    async with running_service(spec, database, RecordingBus()) as pledges:
        campaign_id = uuid4()
        await pledges.deliver(
            CampaignLaunched(
                campaign_id=campaign_id,
                document_number="60/KH-STTTT",
                title="Phong trào 2018",
                year=2018,
                period_start=date(2018, 1, 1),
                period_end=date(2018, 12, 31),
                rule_set="law-2013-decree-91-2017",
                phases=[
                    PhaseSnapshot(
                        number=1,
                        name="Đợt 1",
                        starts_on=date(2018, 1, 1),
                        ends_on=date(2018, 12, 31),
                    )
                ],
                units=[UnitSnapshot(code="VP", name="Văn phòng Sở")],
                clusters=[],
                launched_at=datetime.now(UTC),
            )
        )
        created = await pledges.client.post(
            "/pledges/registrations",
            json={"campaign_id": str(campaign_id), "unit_code": "VP", "members": []},
        )
        if created.status_code != 201:
            raise SystemExit(f"could not create the registration: {created.text}")
        url = f"/pledges/registrations/{created.json()['id']}/members"
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = await pledges.client.put(
                url, content=content, headers={"Content-Type": XLSX, "If-Match": "*"}
            )
            timings.append(time.perf_counter() - started)
            if response.status_code != 200 or len(response.json()["members"]) != members:
                raise SystemExit(f"import failed: {response.status_code} {response.text[:300]}")
    print(
        f"{members} members from a {len(content) / 1024:.0f} KiB XLSX, {repeat} imports: "
        f"median {statistics.median(timings) * 1000:.0f} ms, "
        f"min {min(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(run(args.members, args.repeat))


if __name__ == "__main__":
    main()
