"""The unit directory (danh mục đơn vị) and the emulation clusters (cụm thi đua)."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaigns.models import Base


class Unit(Base):
    __tablename__ = "units"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text, default="")
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("units.code"))
    contact: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Cluster(Base):
    __tablename__ = "clusters"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    members: Mapped[list["ClusterMember"]] = relationship(
        lazy="raise", order_by="ClusterMember.position", cascade="all, delete-orphan"
    )
    leaderships: Mapped[list["ClusterLeadership"]] = relationship(
        lazy="raise", order_by="ClusterLeadership.year", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ClusterMember(Base):
    __tablename__ = "cluster_members"

    cluster_code: Mapped[str] = mapped_column(
        ForeignKey("clusters.code", ondelete="CASCADE"), primary_key=True
    )
    unit_code: Mapped[str] = mapped_column(ForeignKey("units.code"), primary_key=True)
    # Member order drives the rotation of the leader (cụm trưởng) and deputy (cụm phó).
    position: Mapped[int]


class ClusterLeadership(Base):
    __tablename__ = "cluster_leaderships"

    cluster_code: Mapped[str] = mapped_column(
        ForeignKey("clusters.code", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True)
    leader_unit: Mapped[str] = mapped_column(ForeignKey("units.code"))
    deputy_unit: Mapped[str | None] = mapped_column(ForeignKey("units.code"))
