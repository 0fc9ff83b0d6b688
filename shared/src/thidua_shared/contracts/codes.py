"""The base of every code a service keeps or sends: a `StrEnum` whose members are the wire values.

A member is a `str`, so it is stored, compared, hashed and serialised as its value. In a pydantic
model it validates and renders exactly as a `Literal` of its values would (an inline `enum`, the
same error on an unknown value), so moving a field from a `Literal` to a code changes no OpenAPI
document and no problem detail.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema


class Code(StrEnum):
    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls, core_schema.literal_schema([member.value for member in cls])
        )


@dataclass(frozen=True)
class KnownCodes:
    """Marks a contract's `str` field as carrying codes of `codes`.

    Documentation, not validation: the field stays a plain string in the schema, so a new code is
    an additive change; a consumer that acts on the value checks it against `codes`.
    """

    codes: type[Code]
