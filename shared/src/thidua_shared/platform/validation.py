"""Validators the services' request schemas share: codes of the vocabulary, composed Unicode,
finite numbers."""

import math
import unicodedata
from collections.abc import Collection, Iterable, Mapping

from pydantic import AfterValidator


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
