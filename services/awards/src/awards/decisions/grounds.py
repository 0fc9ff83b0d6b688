"""A decision's grounds (căn cứ) and its "Xét đề nghị" line, from data: the law and the decree of
the regime in force on the document's date with their numbers and dates (the rule-set
catalogue), the agency's own instruments as the caller names them, and the plan the campaign
was launched by; the council's proposal in its numbered minutes. Nghị định 30/2020/NĐ-CP,
Phụ lục I: each căn cứ names the instrument with its number, date and issuer."""

from collections.abc import Sequence
from datetime import date

from awards.council.documents import COUNCIL, SYMBOL
from awards.read_model.models import Campaign
from thidua_shared.contracts.rule_sets import (
    CATALOGUE,
    Instrument,
    RuleSetEntry,
    RuleSetId,
    in_force_on,
)

ISSUERS = {"Nghị định": "Chính phủ"}


def long_date(day: date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def regime_on(day: date, rule_set: str | None) -> RuleSetEntry | None:
    """The regime in force on the document's date; before the catalogue's first one, the
    campaign's own rule set."""
    found = in_force_on(day)
    if found is None and rule_set in set(RuleSetId):
        return CATALOGUE[RuleSetId(rule_set)]
    return found


def _numbered(instrument: Instrument) -> str:
    dated = f" {long_date(instrument.issued_on)}" if instrument.issued_on else ""
    return f"số {instrument.number}{dated}"


def _lowered(title: str) -> str:
    return title[:1].lower() + title[1:]


def regime_grounds(entry: RuleSetEntry) -> list[str]:
    """The law (with the laws amending it, by number and date) and the decree guiding it."""
    laws = [i for i in entry.instruments if i.kind == "Luật"]
    lines = []
    if laws:
        base, *amending = laws
        line = f"Căn cứ {base.title} {_numbered(base)}"
        if amending:
            line += (
                "; các Luật "
                + ", ".join(_numbered(law) for law in amending)
                + f" sửa đổi, bổ sung một số điều của {base.title}"
            )
        lines.append(line + ";")
    lines += [
        f"Căn cứ {i.kind} {_numbered(i)}"
        + (f" của {ISSUERS[i.kind]}" if i.kind in ISSUERS else "")
        + f" {_lowered(i.title)};"
        for i in entry.instruments
        if i.kind != "Luật"
    ]
    return lines


def as_ground(line: str) -> str:
    """An instrument the caller names, as a căn cứ line: "Căn cứ …;"."""
    text = line.strip().rstrip(";.")
    return f"{text};" if text.casefold().startswith("căn cứ") else f"Căn cứ {text};"


def plan_ground(campaign: Campaign) -> list[str]:
    if not campaign.plan_number:
        return []
    dated = f" ngày {campaign.plan_issued_on:%d/%m/%Y}" if campaign.plan_issued_on else ""
    subject = f" về {_lowered(campaign.title)}" if campaign.title else ""
    agency = f" của {campaign.issuing_agency}" if campaign.issuing_agency else ""
    return [f"Căn cứ Kế hoạch số {campaign.plan_number}{dated}{agency}{subject};"]


def decision_grounds(
    day: date, campaign: Campaign | None, agency_lines: Sequence[str]
) -> list[str]:
    entry = regime_on(day, campaign.rule_set if campaign else None)
    return [
        *(regime_grounds(entry) if entry else []),
        *(as_ground(line) for line in agency_lines),
        *(plan_ground(campaign) if campaign else []),
    ]


def council_proposal(agency: str, minutes_number: int, held_on: date) -> str:
    return (
        f"Xét đề nghị của {COUNCIL} {agency} tại Biên bản họp số "
        f"{minutes_number:02d}/{SYMBOL} ngày {held_on:%d/%m/%Y}."
    )
