"""Columns that hold a `Code`."""

from sqlalchemy import Enum

from thidua_shared.contracts.codes import Code


def code_column(codes: type[Code], length: int) -> Enum:
    """A `VARCHAR(length)` of the codes' values, as the tables were made: no database enum type
    and no check constraint, so adopting it needs no migration. Rows load as members."""
    return Enum(
        codes,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )
