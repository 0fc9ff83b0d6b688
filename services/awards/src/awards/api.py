from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from awards import service
from awards.schemas import CompilationSummary, NominationList, NominationRead
from thidua_shared.platform.auth import READERS, allow
from thidua_shared.platform.http import SessionDep, etag

nominations_router = APIRouter(prefix="/nominations", tags=["nominations"])
compilations_router = APIRouter(prefix="/compilations", tags=["compilations"])

# Nominations are not public until they are disclosed: unit heads may not read them here.
READ = [allow(*READERS)]


@nominations_router.get(
    "", summary="Danh sách đề nghị khen thưởng of a campaign", dependencies=READ
)
async def list_nominations(
    campaign_id: Annotated[UUID, Query(description="The campaign (phong trào thi đua).")],
    session: SessionDep,
    response: Response,
) -> NominationList:
    compilation = await service.get_nominations(session, campaign_id)
    response.headers["ETag"] = etag(compilation.version)
    return NominationList(
        campaign_id=compilation.campaign_id,
        version=compilation.version,
        compiled_at=compilation.compiled_at,
        items=[NominationRead.model_validate(n) for n in compilation.nominations],
    )


@compilations_router.get(
    "/{campaign_id}",
    summary="Tổng hợp đề nghị khen thưởng: the compilation of a campaign",
    dependencies=READ,
)
async def get_compilation(
    campaign_id: UUID, session: SessionDep, response: Response
) -> CompilationSummary:
    compilation, nomination_count = await service.get_compilation_summary(session, campaign_id)
    response.headers["ETag"] = etag(compilation.version)
    return CompilationSummary(
        campaign_id=compilation.campaign_id,
        version=compilation.version,
        compiled_at=compilation.compiled_at,
        phases_reviewed=compilation.phases_reviewed,
        nomination_count=nomination_count,
    )
