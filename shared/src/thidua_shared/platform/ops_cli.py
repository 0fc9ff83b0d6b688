"""An operator's commands on a service's events: `dead-letters list|show|redrive|purge` and
`replay --from-start` (platform/dead_letters.py, platform/replay.py).

Each change is written to the service's audit trail as the audit middleware writes the same
change made over HTTP: the same target path, one record per event id named, the outcome as the
HTTP status it would have had, and the operating-system user as the actor.
"""

import argparse
import getpass
import json
import os
import socket
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from uuid import uuid4

import asyncpg
import uvloop
from sqlalchemy.engine import make_url

from thidua_shared.platform.app import ServiceSpec
from thidua_shared.platform.audit_chain import AuditRecord, append
from thidua_shared.platform.consumer import build_subscription
from thidua_shared.platform.db import make_engine, make_sessionmaker
from thidua_shared.platform.dead_letters import DeadLetter, DeadLetters, InProcessRedelivery
from thidua_shared.platform.inprocess import InProcessBus
from thidua_shared.platform.settings import ServiceSettings

AddCommon = Callable[[argparse.ArgumentParser], None]


def driver_dsn(settings: ServiceSettings) -> str:
    """The service's database for asyncpg itself (the URL names SQLAlchemy's driver)."""
    url = make_url(settings.resolved_database_url()).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def configure_dead_letters(parser: argparse.ArgumentParser, add_common: AddCommon) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        add_common(sub)
        return sub

    listing = action("list", "event id, type, where kept, first failure reason, count")
    listing.add_argument("--limit", type=int, default=100)
    action("show", "one event's dead letters: the envelope and the broker's headers").add_argument(
        "event_id"
    )
    for name, help_text in (
        ("redrive", "send dead letters back to this service's own queue (the inbox skips repeats)"),
        ("purge", "remove dead letters for good"),
    ):
        sub = action(name, help_text)
        chosen = sub.add_mutually_exclusive_group(required=True)
        chosen.add_argument("event_ids", nargs="*", default=[], metavar="EVENT_ID")
        chosen.add_argument("--all", action="store_true", help="every dead letter")
    purge = actions.choices["purge"]
    purge.add_argument("--yes", action="store_true", help="confirm: they cannot be brought back")


def configure_replay(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from-start",
        action="store_true",
        required=True,
        help="read the archive from its first event (the inbox skips those already applied)",
    )
    parser.add_argument(
        "--quiet-seconds",
        type=float,
        default=5.0,
        help="stop once the archive has sent nothing for this long",
    )


def _actor() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # a container's user may have no name
        user = f"uid {os.getuid()}"
    return f"cli:{user}@{socket.gethostname()}"


async def _audit(
    connection: asyncpg.Connection, key: bytes, action: str, target: str, outcome: int
) -> None:
    record = AuditRecord(
        at=datetime.now(UTC),
        actor=_actor(),
        role=None,
        unit=None,
        action=action,
        target=target,
        request_id=str(uuid4()),
        outcome=outcome,
    )
    await append(connection, key, record)


class _Bar:
    """A progress bar on stderr, for redrives and purges long enough to wait for."""

    WIDTH = 30

    def __init__(self, label: str) -> None:
        self.label = label
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        filled = self.WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        sys.stderr.write(f"\r{self.label} [{bar}] {done}/{total}")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")


@asynccontextmanager
async def _in_process(
    spec: ServiceSpec, settings: ServiceSettings
) -> AsyncIterator[InProcessRedelivery | None]:
    """Without a broker (the all-in-one mode), a stored dead letter is taken back here, by the
    service's own handlers on its database, as its in-process bus would."""
    if settings.amqp_url or not spec.handlers:
        yield None
        return
    engine = make_engine(settings.resolved_database_url(), pool_size=2)
    bus = InProcessBus(
        max_deliveries=settings.max_deliveries,
        backoff_seconds=settings.retry_backoff_seconds,
        backoff_cap=settings.retry_backoff_max_seconds,
    )
    # The running service's relay publishes what the handlers record: the outbox's NOTIFY
    # wakes it.
    bus.subscribe(
        build_subscription(
            settings.queue_name, spec.handlers, make_sessionmaker(engine), lambda: None
        )
    )
    try:
        yield bus.redeliver
    finally:
        await engine.dispose()


def _print_list(letters: list[DeadLetter], broker: int | None, stored: int) -> None:
    queued = "no broker" if broker is None else str(broker)
    lines = [f"broker dead-letter queue: {queued}; stored: {stored}"]
    if letters:
        lines.append(f"{'EVENT ID':36}  {'TYPE':22}  {'WHERE':6}  {'COUNT':>5}  REASON")
    for letter in letters:
        reason = " ".join(letter.reason.split())[:70]
        lines.append(
            f"{letter.event_id:36}  {letter.event_type:22}  {letter.source:6}  "
            f"{letter.count:>5}  {reason}"
        )
    sys.stdout.write("\n".join(lines) + "\n")


async def _change(
    spec: ServiceSpec,
    args: argparse.Namespace,
    letters: DeadLetters,
    audit: asyncpg.Connection,
    key: bytes,
) -> None:
    ids = None if args.all else set(args.event_ids)
    bar = _Bar(args.action)
    try:
        if args.action == "redrive":
            done = await letters.redrive(ids, bar)
        else:
            done = await letters.purge(ids, bar)
    finally:
        bar.close()
    base = f"/{spec.name}/ops/dead-letters"
    action = f"python -m {spec.name} dead-letters {args.action}"
    found = {letter.event_id for letter in done}
    # The paths of the HTTP calls that do the same, so `GET /audit?target=` finds both.
    if ids is None:
        await _audit(
            audit, key, action, f"{base}/redrive" if args.action == "redrive" else base, 200
        )
    for event_id in sorted(ids or ()):
        target = f"{base}/{event_id}/redrive" if args.action == "redrive" else f"{base}/{event_id}"
        await _audit(audit, key, action, target, 200 if event_id in found else 404)
    verb = "redriven to the queue" if args.action == "redrive" else "purged"
    sys.stdout.write(f"{len(done)} dead letters {verb}\n")
    missing = sorted((ids or set()) - found)
    if missing:
        raise SystemExit(f"no dead letter has the event id {', '.join(missing)}")


def run_dead_letters(
    spec: ServiceSpec, args: argparse.Namespace, settings: ServiceSettings
) -> None:
    if args.action == "purge" and not args.yes:
        raise SystemExit("purge removes dead letters for good: add --yes to confirm")

    async def run() -> None:
        connection = await asyncpg.connect(driver_dsn(settings))
        try:
            async with _in_process(spec, settings) as in_process:
                letters = DeadLetters(settings, connection, in_process)
                if args.action == "list":
                    counts = await letters.counts()
                    listed = await letters.browse(args.limit, broker=counts.broker is not None)
                    _print_list(listed, counts.broker, counts.stored)
                elif args.action == "show":
                    shown = await letters.browse(1000, {args.event_id})
                    if not shown:
                        raise SystemExit(f"no dead letter has the event id {args.event_id}")
                    text = json.dumps([s.shown() for s in shown], indent=2, ensure_ascii=False)
                    sys.stdout.write(text + "\n")
                else:
                    await _change(spec, args, letters, connection, settings.audit_chain_key())
        finally:
            await connection.close()

    uvloop.run(run())


def run_replay(spec: ServiceSpec, args: argparse.Namespace, settings: ServiceSettings) -> None:
    from thidua_shared.platform.replay import ReplayFailed, ReplayReport, replay_archive

    if not settings.amqp_url:
        raise SystemExit(f"{spec.name} replay reads the broker's archive: set THIDUA_AMQP_URL")

    def progress(report: ReplayReport) -> None:
        sys.stderr.write(f"\rread {report.read}, of {spec.name}'s types {report.consumed}")
        sys.stderr.flush()

    async def run() -> ReplayReport:
        engine = make_engine(settings.resolved_database_url(), pool_size=2)
        outcome = 500
        try:
            report = await replay_archive(
                spec.handlers,
                settings,
                make_sessionmaker(engine),
                quiet_seconds=args.quiet_seconds,
                progress=progress,
            )
            outcome = 200
        finally:
            await engine.dispose()
            connection = await asyncpg.connect(driver_dsn(settings))
            try:
                action = f"python -m {spec.name} replay --from-start"
                await _audit(
                    connection,
                    settings.audit_chain_key(),
                    action,
                    f"{settings.exchange}.archive",
                    outcome,
                )
            finally:
                await connection.close()
        return report

    try:
        report = uvloop.run(run())
    except ReplayFailed as exc:
        raise SystemExit(f"\nreplay stopped: {exc}; fix it and run again") from exc
    sys.stderr.write("\n")
    sys.stdout.write(
        f"read {report.read} events from the archive; {report.consumed} of the types "
        f"{spec.name} consumes, {report.applied} applied now (the others were applied "
        f"before); {report.unreadable} unreadable; {report.announced} events announced, in "
        "the outbox for the service's relay\n"
    )
