"""The awards database's declarative base: every stage's tables join its metadata, with the
platform kit's tables."""

from sqlalchemy import MetaData, text
from sqlalchemy.orm import DeclarativeBase

from thidua_shared.platform.db import NAMING_CONVENTION, define_platform_tables


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


define_platform_tables(Base.metadata)

EMPTY_LIST = text("'[]'::jsonb")
