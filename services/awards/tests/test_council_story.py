"""A campaign already compiled, ready for the council: the setting the council, disclosure and
decision tests share. It holds no tests of its own."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

from awards.compile.models import Compilation, Nomination
from awards.read_model.models import ApprovedReport, Campaign, CampaignUnit
from thidua_shared.platform.clock import now, set_clock
from thidua_shared.testing import RunningService

VIETNAM = timedelta(hours=7)


@contextmanager
def clock_at(day: date, hour: int = 9) -> Iterator[None]:
    """Moves the service's clock to a working hour of a day in Việt Nam."""
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - VIETNAM
    set_clock(lambda: moment)
    try:
        yield
    finally:
        set_clock(lambda: datetime.now(UTC))


@dataclass(frozen=True)
class Nominee:
    subject_kind: str
    subject_code: str
    subject_name: str
    unit_code: str
    title: str
    multiplier: Decimal
    initiatives: Sequence[str] = ()


UNITS = {"VP": "Văn phòng Sở", "PCNTT": "Phòng Công nghệ thông tin", "TTCNTT": "Trung tâm CNTT"}
NOMINEES = (
    Nominee("unit", "VP", "Văn phòng Sở", "VP", "tap_the_lao_dong_tien_tien", Decimal("0.8")),
    Nominee(
        "person",
        "VP-001",
        "Nguyễn Thị Hồng Nhung",
        "VP",
        "chien_si_thi_dua_co_so",
        Decimal("1.0"),
        ("SK-2018-014",),
    ),
    Nominee("person", "VP-002", "Trần Văn Đức", "VP", "lao_dong_tien_tien", Decimal("0.3")),
)


class CouncilStory:
    def __init__(self, awards: RunningService, *, year: int = 2018) -> None:
        self.awards = awards
        self.campaign_id = uuid4()
        self.year = year

    async def compiled(self, nominees: Sequence[Nominee] = NOMINEES) -> None:
        async with self.awards.runtime.sessionmaker() as session, session.begin():
            session.add(
                Campaign(
                    id=self.campaign_id,
                    title=f"Phong trào thi đua năm {self.year}",
                    year=self.year,
                    rule_set="law-2013-decree-91-2017",
                    phases_total=1,
                    launched_at=datetime(self.year, 1, 9, tzinfo=UTC),
                    clusters=[{"name": "Cụm 1", "unit_codes": sorted(UNITS)}],
                    units=[
                        CampaignUnit(unit_code=code, unit_name=name, cluster="Cụm 1")
                        for code, name in UNITS.items()
                    ],
                )
            )
            await session.flush()
            session.add(
                Compilation(
                    campaign_id=self.campaign_id,
                    version=1,
                    phases_reviewed=1,
                    compiled_at=now(),
                    nominations=[
                        Nomination(
                            subject_kind=n.subject_kind,
                            subject_code=n.subject_code,
                            subject_name=n.subject_name,
                            unit_code=n.unit_code,
                            title=n.title,
                            basis=f"Đạt tiêu chuẩn {n.title} năm {self.year}.",
                            multiplier=n.multiplier,
                            initiative_identifiers=list(n.initiatives),
                        )
                        for n in nominees
                    ],
                )
            )

    async def reported(
        self, unit_code: str, rating: str = "xuat_sac", percents: Sequence[float] = (110, 104)
    ) -> None:
        """The unit's year-end report approved, with its rating and its targets' results."""
        async with self.awards.runtime.sessionmaker() as session, session.begin():
            session.add(
                ApprovedReport(
                    campaign_id=self.campaign_id,
                    phase_number=1,
                    unit_code=unit_code,
                    report_id=uuid4(),
                    version=1,
                    kind="final",
                    self_assessment=rating,
                    results=[
                        {"task_number": n, "percent_of_target": p}
                        for n, p in enumerate(percents, start=1)
                    ],
                    approved_at=now(),
                )
            )

    async def council_session(self, *, present: int, absent: int) -> dict[str, Any]:
        members = [
            {"name": f"Thành viên {n}", "role": "Ủy viên", "present": n <= present}
            for n in range(1, present + absent + 1)
        ]
        response = await self.awards.client.post(
            "/awards/council/sessions",
            json={
                "campaign_id": str(self.campaign_id),
                "held_on": f"{self.year}-05-20",
                "place": "Đồng Nai",
                "members": members,
            },
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def approve_all(self, session_id: str, votes_for: int) -> dict[str, Any]:
        agenda = await self.awards.client.get(
            "/awards/council/agenda", params={"campaign_id": str(self.campaign_id)}
        )
        assert agenda.status_code == 200, agenda.text
        votes = [
            {
                "subject_kind": c["subject_kind"],
                "subject_code": c["subject_code"],
                "title": c["title"],
                "votes_for": votes_for,
                "votes_against": 0,
            }
            for c in agenda.json()["candidates"]
        ]
        response = await self.awards.client.post(
            f"/awards/council/sessions/{session_id}/votes", json={"votes": votes}
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def disclosed(self, starts_on: date, *, present: int = 7) -> dict[str, Any]:
        council = await self.council_session(present=present, absent=2)
        await self.approve_all(council["id"], votes_for=present)
        with clock_at(starts_on):
            response = await self.awards.client.post(
                "/awards/disclosures", json={"session_id": council["id"]}
            )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body
