"""What the awards service announces: nominations.compiled, nominations.disclosed,
award.decided (the agency's own decisions and a higher authority's on its dossiers),
award.revoked and exemplar.published, each recorded in the outbox in the transaction of its
change."""

import math
from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from awards.compile.models import Compilation
from awards.decisions.models import Decision, DecisionAward
from awards.disclosure.models import Disclosure
from awards.dossier.models import Dossier
from awards.exemplars.models import Exemplar
from thidua_shared.contracts.awards import (
    AwardDecided,
    AwardRevoked,
    DecidedAward,
    DisclosedNomination,
    ExemplarPublished,
    NominationsCompiled,
    NominationsDisclosed,
)
from thidua_shared.platform.db import OUTBOX_DIRTY
from thidua_shared.platform.outbox import driver_connection, event_envelope, record_event

SOURCE = "/thidua/awards"

# A province's list (tens of thousands of nominations, each with its explanation) would make
# one message of tens of megabytes, past what brokers accept by default (RabbitMQ: 16 MiB).
NOMINATIONS_PER_EVENT = 2_000

_LIST = '"nominations":[]'
# Each part's nominations are put into its envelope by the database, from the rows the
# compilation wrote: a province's list (about 1.7 KB a nomination, gigabytes at ten times a
# province) never passes through the service's memory. The service serialises each envelope
# with an empty list, cut where the list goes.
_INSERT_PARTS = """
WITH numbered AS (
    SELECT n.*, (row_number() OVER (ORDER BY subject_kind, subject_code, title) - 1) / $2 + 1
           AS part
    FROM nominations n WHERE compilation_id = $1
), listed AS (
    SELECT part, json_agg(json_build_object(
               'subject_kind', subject_kind, 'subject_code', subject_code, 'title', title,
               'basis', basis, 'subject_name', subject_name, 'unit_code', unit_code,
               'rule_id', rule_id, 'citation', citation, 'facts', facts)
           ORDER BY subject_kind, subject_code, title) AS items
    FROM numbered GROUP BY part
)
INSERT INTO outbox (event_id, event_type, body)
SELECT e.id, $3, e.head || '"nominations":' || coalesce(l.items::text, '[]') || e.tail
FROM unnest($4::int[], $5::uuid[], $6::text[], $7::text[]) AS e(part, id, head, tail)
LEFT JOIN listed l USING (part)
ORDER BY e.part
"""


async def nominations_compiled(
    session: AsyncSession, compilation: Compilation, nominated: int
) -> None:
    """The version's nominations.compiled events, in parts, from its nominations written."""
    parts = max(1, math.ceil(nominated / NOMINATIONS_PER_EVENT))
    ids, heads, tails = [], [], []
    for part in range(1, parts + 1):
        first = part == 1
        data = NominationsCompiled(
            campaign_id=compilation.campaign_id,
            version=compilation.version,
            nominations=[],
            compiled_at=compilation.compiled_at,
            rule_set=compilation.rule_set,
            added=compilation.added if first else [],
            removed=compilation.removed if first else [],
            issued_decisions=compilation.issued_decisions,
            part=part,
            parts=parts,
        )
        envelope = event_envelope(
            data, source=SOURCE, subject=f"compilations/{compilation.campaign_id}"
        )
        head, tail = envelope.model_dump_json().split(_LIST)
        ids.append(UUID(envelope.id))
        heads.append(head)
        tails.append(tail)
    driver = await driver_connection(session)
    assert driver is not None, "the compilation's transaction has begun"
    await driver.execute(
        _INSERT_PARTS, compilation.id, NOMINATIONS_PER_EVENT, NominationsCompiled.event_type,
        list(range(1, parts + 1)), ids, heads, tails,
    )  # fmt: skip
    session.info[OUTBOX_DIRTY] = True


async def nominations_disclosed(session: AsyncSession, disclosure: Disclosure) -> None:
    data = NominationsDisclosed(
        disclosure_id=disclosure.id,
        campaign_id=disclosure.campaign_id,
        nominations=[
            DisclosedNomination(
                subject_kind=item["subject_kind"],
                subject_code=item["subject_code"],
                subject_name=item["subject_name"],
                title=item["title"],
            )
            for item in disclosure.items
        ],
        comment_from=disclosure.comment_from,
        comment_until=disclosure.comment_until,
        disclosed_at=disclosure.disclosed_at,
    )
    await record_event(session, data, source=SOURCE, subject=f"disclosures/{disclosure.id}")


async def award_decided(session: AsyncSession, decision: Decision) -> None:
    data = AwardDecided(
        decision_id=decision.id,
        campaign_id=decision.campaign_id,
        decision_number=decision.number,
        decided_on=decision.decided_on,
        signer_name=decision.signer_name,
        signer_title=decision.signer_title,
        awards=[
            DecidedAward(
                subject_kind=award.subject_kind,
                subject_code=award.subject_code,
                subject_name=award.subject_name,
                unit_code=award.unit_code,
                title=award.title,
                multiplier=float(award.multiplier),
                base_salary_vnd=decision.base_salary_vnd,
                bonus_vnd=award.bonus_vnd,
            )
            for award in decision.awards
        ],
        total_bonus_vnd=decision.total_bonus_vnd,
        decided_at=decision.issued_at,
    )
    await record_event(session, data, source=SOURCE, subject=f"decisions/{decision.id}")


async def higher_award_decided(session: AsyncSession, dossier: Dossier) -> None:
    """The higher authority's decision on the agency's dossier, announced like the agency's
    own, naming the authority and the fund that pays."""
    assert dossier.decision_id is not None, "the decision is recorded"
    assert dossier.decision_number is not None
    assert dossier.decided_on is not None
    assert dossier.decided_at is not None
    assert dossier.base_salary_vnd is not None
    data = AwardDecided(
        decision_id=dossier.decision_id,
        campaign_id=dossier.campaign_id,
        decision_number=dossier.decision_number,
        decided_on=dossier.decided_on,
        signer_name=dossier.decision_signer_name or "",
        signer_title=dossier.decision_signer_title or "",
        awards=[
            DecidedAward(
                subject_kind=award["subject_kind"],
                subject_code=award["subject_code"],
                subject_name=award["subject_name"],
                unit_code=award["unit_code"],
                title=award["title"],
                multiplier=award["multiplier"],
                base_salary_vnd=dossier.base_salary_vnd,
                bonus_vnd=award["bonus_vnd"],
            )
            for award in dossier.granted
        ],
        total_bonus_vnd=dossier.total_bonus_vnd or 0,
        decided_at=dossier.decided_at,
        authority=dossier.authority,
        fund=f"{dossier.fund} ({dossier.fund_citation})",
        proposal_number=dossier.number,
    )
    await record_event(session, data, source=SOURCE, subject=f"dossiers/{dossier.id}")


async def award_revoked(
    session: AsyncSession, decision: Decision, award: DecisionAward, reason: str, at: datetime
) -> None:
    data = AwardRevoked(
        decision_id=decision.id,
        campaign_id=decision.campaign_id,
        subject_kind=award.subject_kind,
        subject_code=award.subject_code,
        title=award.title,
        reason=reason,
        revoked_at=at,
    )
    await record_event(session, data, source=SOURCE, subject=f"decisions/{decision.id}")


async def exemplar_published(session: AsyncSession, exemplar: Exemplar) -> None:
    data = ExemplarPublished(
        exemplar_id=exemplar.id,
        campaign_id=exemplar.campaign_id,
        subject_kind=exemplar.subject_kind,
        subject_code=exemplar.subject_code,
        subject_name=exemplar.subject_name,
        story=exemplar.story,
        published_at=exemplar.published_at,
    )
    await record_event(session, data, source=SOURCE, subject=f"exemplars/{exemplar.id}")
