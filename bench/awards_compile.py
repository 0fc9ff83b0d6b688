"""Awards compile benchmark: a generated province-sized campaign (2,000 units, 60,000
members, 5 years of award history at 1×) loaded into a fresh awards database, then the
compilation timed from the last phase.reviewed to the nominations persisted.

    uv run python bench/awards_compile.py                  # scales 0.1 and 1
    uv run python bench/awards_compile.py --scales 0.1,1,10
    uv run python bench/awards_compile.py --golden check   # the results against their digests

Each scale loads in one child process (COPY straight into the read-model tables, as replaying
the events would leave them) and compiles in another, so the peak memory printed is the
compile's own (ru_maxrss of the compiling process, the service and its imports included).
The compile runs the real consumer path: the inbox, the campaign row lock, reading the read
model, evaluating the rule set, COPY of nominations and refusals, the outbox event, commit.
With --digest it prints a digest of what the compile decided; --golden check compares it with
the committed one, --golden write records it (bench/compile_digest.py says when).
"""

import argparse
import asyncio
import json
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg
from compile_digest import golden, result_digest, write_golden

from awards.main import spec
from thidua_shared.contracts.reports import ApprovedReportRef, PhaseReviewed
from thidua_shared.testing import RecordingBus, database_url, migrated_database, running_service

YEAR = 2018
HISTORY_YEARS = 5
UNITS_AT_1X = 2_000
MEMBERS_PER_UNIT = 30
RULE_SET = "law-2013-decree-91-2017"
RATINGS = (("xuat_sac", 0.2), ("tot", 0.65), ("hoan_thanh", 0.13), ("khong_hoan_thanh", 0.02))
UNIT_RATINGS = (("xuat_sac", 0.3), ("tot", 0.6), ("hoan_thanh", 0.1))
AIMED = (
    ("lao_dong_tien_tien", 0.8),
    ("chien_si_thi_dua_co_so", 0.15),
    ("chien_si_thi_dua_cap_tinh", 0.05),
)

CAMPAIGN_UNIT_COLUMNS = ("campaign_id", "unit_code", "unit_name", "cluster")
REGISTRATION_COLUMNS = (
    "campaign_id", "unit_code", "registration_id", "version", "collective_title", "cluster",
    "approved_at",
)  # fmt: skip
MEMBER_COLUMNS = ("campaign_id", "unit_code", "staff_code", "full_name", "gender", "title_aimed")
REPORT_COLUMNS = (
    "campaign_id", "phase_number", "unit_code", "report_id", "version", "kind",
    "self_assessment", "approved_at",
)  # fmt: skip
EVALUATION_COLUMNS = (
    "campaign_id", "phase_number", "unit_code", "staff_code", "full_name", "task_rating",
    "discipline", "under_investigation", "initiatives", "gender",
)  # fmt: skip
HISTORY_COLUMNS = (
    "id", "subject_kind", "subject_code", "subject_name", "unit_code", "year", "title", "source",
    "initiative_identifiers",
)  # fmt: skip


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    roll, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if roll < total:
            return value
    return weighted[-1][0]


def _uuid(rng: random.Random) -> UUID:
    return UUID(int=rng.getrandbits(128), version=4)


class Province:
    """Rows for every read-model table, generated from a seed."""

    def __init__(self, scale: float, seed: int = 2018) -> None:
        rng = random.Random(seed)
        self.campaign_id = _uuid(rng)
        self.units = [f"DV{i:05d}" for i in range(max(1, round(UNITS_AT_1X * scale)))]
        self.report_ids = {(p, u): _uuid(rng) for p in (1, 2) for u in self.units}
        now = datetime(YEAR, 12, 20, tzinfo=UTC)
        self.campaign_units = [
            (self.campaign_id, u, f"Đơn vị {u}", f"Cụm {i % 40}") for i, u in enumerate(self.units)
        ]
        self.registrations = [
            (self.campaign_id, u, _uuid(rng), 1, "tap_the_lao_dong_tien_tien", f"Cụm {i % 40}", now)
            for i, u in enumerate(self.units)
        ]
        self.members: list[tuple[Any, ...]] = []
        self.evaluations: list[tuple[Any, ...]] = []
        self.history: list[tuple[Any, ...]] = []
        self.reports: list[tuple[Any, ...]] = []
        for unit in self.units:
            for phase in (1, 2):
                self.reports.append(
                    (self.campaign_id, phase, unit, self.report_ids[(phase, unit)], 1,
                     "final" if phase == 2 else "preliminary", _pick(rng, UNIT_RATINGS), now)
                )  # fmt: skip
            for year in range(YEAR - HISTORY_YEARS, YEAR):
                if rng.random() < 0.7:
                    self._history(rng, "unit", unit, unit, year, "tap_the_lao_dong_tien_tien", ())
            for n in range(MEMBERS_PER_UNIT):
                self._member(rng, unit, f"{unit}-{n:03d}")

    def _member(self, rng: random.Random, unit: str, code: str) -> None:
        name = f"Nguyễn Thị Thanh Hương {code}"
        gender = "female" if rng.random() < 0.55 else "male"
        self.members.append((self.campaign_id, unit, code, name, gender, _pick(rng, AIMED)))
        initiatives = []
        if rng.random() < 0.2:
            initiatives.append(
                {
                    "identifier": f"SK-{YEAR}-{code}-1",
                    "title": "Cải tiến quy trình",
                    "level": "grassroots",
                    "year": YEAR,
                }
            )
        if rng.random() < 0.03:
            initiatives.append(
                {
                    "identifier": f"SK-{YEAR}-{code}-2",
                    "title": "Số hoá hồ sơ",
                    "level": "provincial",
                    "year": YEAR,
                }
            )
        discipline = (
            "canh_cao" if rng.random() < 0.005 else "khien_trach" if rng.random() < 0.01 else "none"
        )
        self.evaluations.append(
            (self.campaign_id, 2, unit, code, name, _pick(rng, RATINGS), discipline,
             rng.random() < 0.002, json.dumps(initiatives, ensure_ascii=False), gender)
        )  # fmt: skip
        chain = rng.random() < 0.08  # a CSTĐCS every year: some reach the provincial title
        for year in range(YEAR - HISTORY_YEARS, YEAR):
            if chain or rng.random() < 0.8:
                self._history(rng, "person", code, unit, year, "lao_dong_tien_tien", ())
            if chain or rng.random() < 0.1:
                used = (f"SK-{year}-{code}",)
                self._history(rng, "person", code, unit, year, "chien_si_thi_dua_co_so", used)

    def _history(
        self, rng: random.Random, kind: str, code: str, unit: str, year: int, title: str,
        initiatives: tuple[str, ...],
    ) -> None:  # fmt: skip
        self.history.append(
            (_uuid(rng), kind, code, "", unit, year, title, "import", json.dumps(list(initiatives)))
        )

    def review(self, phase: int) -> PhaseReviewed:
        return PhaseReviewed(
            campaign_id=self.campaign_id,
            phase_number=phase,
            phases_total=2,
            approved_reports=[
                ApprovedReportRef(unit_code=u, report_id=self.report_ids[(phase, u)])
                for u in self.units
            ],
            reviewed_at=datetime(YEAR, 7 if phase == 1 else 12, 28, tzinfo=UTC),
        )


async def load(scale: float, name: str | None = None) -> None:
    """Generates the province at this scale into a fresh awards database (the scale's own unless
    named), every phase reviewed but the last."""
    started = time.perf_counter()
    province = Province(scale)
    generated = time.perf_counter()
    database = await migrated_database(spec, name or _database(scale))
    connection = await asyncpg.connect(database.replace("postgresql+asyncpg", "postgresql"))
    migrated = time.perf_counter()
    try:
        async with connection.transaction():
            await connection.execute(
                "INSERT INTO campaigns (id, title, year, rule_set, phases_total, launched_at) "
                "VALUES ($1, $2, $3, $4, 2, $5)",
                province.campaign_id, f"Phong trào thi đua năm {YEAR}", YEAR, RULE_SET,
                datetime(YEAR, 1, 9, tzinfo=UTC),
            )  # fmt: skip
            copies = (
                ("campaign_units", CAMPAIGN_UNIT_COLUMNS, province.campaign_units),
                ("registrations", REGISTRATION_COLUMNS, province.registrations),
                ("registered_members", MEMBER_COLUMNS, province.members),
                ("approved_reports", REPORT_COLUMNS, province.reports),
                ("member_evaluations", EVALUATION_COLUMNS, province.evaluations),
                ("award_history", HISTORY_COLUMNS, province.history),
            )
            for table, columns, rows in copies:
                await connection.copy_records_to_table(table, columns=columns, records=rows)
            first = province.review(1)
            await connection.execute(
                "INSERT INTO phase_reviews (campaign_id, phase_number, approved_reports, "
                "missing_units, reviewed_at, event_id) VALUES ($1, 1, $2, '[]', $3, 'bench')",
                province.campaign_id,
                json.dumps([r.model_dump(mode="json") for r in first.approved_reports]),
                first.reviewed_at,
            )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    loaded = time.perf_counter()
    print(
        f"  load: {len(province.units)} units, {len(province.members)} members, "
        f"{len(province.history)} history rows; generate {generated - started:.1f} s, "
        f"migrate {migrated - generated:.1f} s, COPY {loaded - migrated:.1f} s",
        flush=True,
    )


async def compile_province(database: str) -> tuple[float, float]:
    """Delivers the last phase.reviewed to the awards service on a loaded database; the seconds
    the compile took and the process's peak RSS (MB) before it began."""
    last_review = await _last_review(database)
    async with running_service(spec, database, RecordingBus(), relay_poll_seconds=3600) as awards:
        before = _rss_mb()
        started = time.perf_counter()
        await awards.deliver(last_review)
        return time.perf_counter() - started, before


async def compile_once(scale: float, digest: bool) -> None:
    database = database_url(_database(scale))
    elapsed, before = await compile_province(database)
    peak = _rss_mb()
    connection = await asyncpg.connect(database.replace("postgresql+asyncpg", "postgresql"))
    try:
        counts = await connection.fetchrow(
            "SELECT (SELECT count(*) FROM nominations) AS n, "
            "(SELECT count(*) FROM refusals) AS r, "
            "(SELECT max(length(body)) FROM outbox) AS event_bytes"
        )
    finally:
        await connection.close()
    assert counts is not None, "the counts were read"
    assert counts["n"] > 0, "the compilation ran"
    print(
        f"  compile: {elapsed:.2f} s; {counts['n']} nominations, {counts['r']} refusals; "
        f"peak RSS {peak:.0f} MB (before compiling {before:.0f} MB); "
        f"nominations.compiled event {counts['event_bytes'] / 1e6:.1f} MB",
        flush=True,
    )
    print(f"RESULT {scale} {elapsed:.3f} {peak:.0f}", flush=True)
    if digest:
        print(f"DIGEST {scale} {json.dumps(await result_digest(database))}", flush=True)


async def _last_review(database: str) -> PhaseReviewed:
    """The review the loading left out, read back rather than generated again, so the
    compiling process holds none of the generated rows."""
    connection = await asyncpg.connect(database.replace("postgresql+asyncpg", "postgresql"))
    try:
        rows = await connection.fetch(
            "SELECT campaign_id, unit_code, report_id FROM approved_reports WHERE phase_number = 2"
        )
    finally:
        await connection.close()
    return PhaseReviewed(
        campaign_id=rows[0]["campaign_id"],
        phase_number=2,
        phases_total=2,
        approved_reports=[
            ApprovedReportRef(unit_code=r["unit_code"], report_id=r["report_id"]) for r in rows
        ],
        reviewed_at=datetime(YEAR, 12, 28, tzinfo=UTC),
    )


def _database(scale: float) -> str:
    return f"thidua_bench_awards_{str(scale).replace('.', '_')}"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scales", default="0.1,1", help="comma-separated, e.g. 0.1,1,10")
    parser.add_argument(
        "--digest", action="store_true", help="print a digest of the compiled results"
    )
    parser.add_argument(
        "--golden",
        choices=("check", "write"),
        help="compare the digests with bench/golden/compile-digest.json, or record them there",
    )
    parser.add_argument("--stage", choices=("load", "compile"), help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    digest = args.digest or args.golden is not None
    if args.stage == "load":
        asyncio.run(load(args.scale))
        return
    if args.stage == "compile":
        asyncio.run(compile_once(args.scale, digest))
        return
    results: list[tuple[float, float, float]] = []
    digests: dict[str, dict[str, Any]] = {}
    for scale in (float(s) for s in args.scales.split(",")):
        units = round(UNITS_AT_1X * scale)
        print(f"scale {scale}× ({units} units, {units * MEMBERS_PER_UNIT} members):", flush=True)
        for stage in ("load", "compile"):
            command = [sys.executable, __file__, "--stage", stage, "--scale", str(scale)]
            done = subprocess.run(
                command + ["--digest"] * (digest and stage == "compile"),
                check=True, capture_output=stage == "compile", text=True,
            )  # fmt: skip
            if stage == "compile":
                for line in done.stdout.splitlines():
                    if line.startswith("RESULT "):
                        _, *figures = line.split()
                        measured, elapsed, peak = (float(f) for f in figures)
                        results.append((measured, elapsed, peak))
                    elif line.startswith("DIGEST "):
                        _, measured_scale, found = line.split(" ", 2)
                        digests[measured_scale] = json.loads(found)
                        print(f"  digest: {found}", flush=True)
                    else:
                        print(line, flush=True)
    print("\nscale   members   compile s   s per 10k members   peak RSS MB")
    for measured, elapsed, peak in results:
        members = round(UNITS_AT_1X * measured) * MEMBERS_PER_UNIT
        per_10k = elapsed / members * 10_000
        print(f"{measured:>5}× {members:>9} {elapsed:>11.2f} {per_10k:>19.3f} {peak:>13.0f}")
    if args.golden == "write":
        write_golden(digests)
        print(f"\nrecorded the digests of {', '.join(digests)}× in bench/golden/")
    elif args.golden == "check":
        _check_golden(digests)


def _check_golden(digests: dict[str, dict[str, Any]]) -> None:
    recorded = golden()
    differing = [s for s in digests if s in recorded and digests[s] != recorded[s]]
    unrecorded = [s for s in digests if s not in recorded]
    if unrecorded:
        print(f"\nno golden digest for {', '.join(unrecorded)}×")
    if differing:
        raise SystemExit(
            f"the compile's results at {', '.join(differing)}× differ from the golden digests: "
            "if that is intended, record them with --golden write"
        )
    print("\nthe compile's results match the golden digests")


if __name__ == "__main__":
    main()
