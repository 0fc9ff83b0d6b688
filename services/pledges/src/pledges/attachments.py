"""References to a registration's attached files (tài liệu kèm theo), by URL and checksum."""

from collections.abc import Sequence
from typing import Any

from pledges.schemas import AttachmentIn
from thidua_shared.contracts.pledges import AttachmentRef
from thidua_shared.platform.errors import Unprocessable


def stored(given: Sequence[AttachmentIn]) -> list[dict[str, Any]]:
    """The references as stored, or a 422 naming a file listed twice."""
    seen: set[str] = set()
    kept: list[dict[str, Any]] = []
    for i, attachment in enumerate(given):
        url = str(attachment.url)
        if url in seen:
            raise Unprocessable(f"{url} is attached twice.", field=f"attachments[{i}].url")
        seen.add(url)
        ref = AttachmentRef(url=url, sha256=attachment.sha256, description=attachment.description)
        kept.append(ref.model_dump(mode="json"))
    return kept


def announced(kept: Sequence[dict[str, Any]]) -> list[AttachmentRef]:
    return [AttachmentRef.model_validate(a) for a in kept]
