"""Validators the services' request schemas share: codes of the vocabulary, composed Unicode,
finite numbers."""

import math
import unicodedata
from collections.abc import Collection, Iterable, Mapping

from pydantic import AfterValidator

# The letters, digits and "_" of a code (Vietnamese included: U+00C0 to U+1EF9 holds every
# precomposed Vietnamese letter), spelled out for patterns. `\w` would read differently in the
# published schema: JSON Schema's regular expressions (ECMA-262) take it as ASCII only, so a
# client validating against the OpenAPI would refuse "15/QĐ-STTTT", which the service accepts.
WORD_CHARACTERS = "0-9A-Za-z_À-ỹ"
# A code: a unit's, a member's, a cluster's.
CODE_PATTERN = rf"^[{WORD_CHARACTERS}.-]+$"
# One item of a registration or a report returned with a reason of its own: its n-th
# commitment, or a member by staff code.
RETURNED_ITEM_PATTERN = rf"^(commitment:[0-9]{{1,3}}|member:[{WORD_CHARACTERS}.-]+)$"


def one_of(allowed: Collection[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")
        return value

    return AfterValidator(check)


def labelled(labels: Mapping[str, str], codes: Iterable[str] | None = None) -> str:
    """The codes (all of the labelled ones unless given) with their Vietnamese labels, for an
    API description."""
    return "; ".join(f"{code} ({labels[code]})" for code in (labels if codes is None else codes))


def nfc(value: str) -> str:
    """Composed Unicode, so that the same Vietnamese word always compares equal."""
    return unicodedata.normalize("NFC", value)


def finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("a value is a finite number")
    return value


# PostgreSQL's OFFSET is a bigint: a larger offset must be refused here, naming the parameter,
# not fail in the database.
MAX_OFFSET = 2**63 - 1
