from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from awards.compile import service
from awards.compile.schemas import (
    CampaignNominations,
    CompilationHistory,
    CompilationSummary,
    CompilationVersion,
    NominationList,
    NominationRead,
    RefusalRead,
)
from thidua_shared.platform.auth import READERS, allow
from thidua_shared.platform.http import SessionDep, deprecated_alias, etag

nominations_router = APIRouter(prefix="/nominations", tags=["nominations"])
compilations_router = APIRouter(prefix="/compilations", tags=["compilations"])
campaign_nominations_router = APIRouter(prefix="/campaigns", tags=["nominations"])

# Nominations are not public until they are disclosed: unit heads may not read them here.
READ = [allow(*READERS)]


@nominations_router.get(
    "",
    summary="Danh sách đề nghị khen thưởng of a campaign (deprecated alias)",
    description="Deprecated: read GET /awards/campaigns/{campaign_id}/nominations, named in "
    'this answer\'s `Link: rel="successor-version"` header.',
    deprecated=True,
    dependencies=READ,
)
async def list_nominations(
    campaign_id: Annotated[UUID, Query(description="The campaign (phong trào thi đua).")],
    session: SessionDep,
    response: Response,
) -> NominationList:
    deprecated_alias(response, f"/awards/campaigns/{campaign_id}/nominations")
    compilation = await service.get_nominations(session, campaign_id)
    response.headers["ETag"] = etag(compilation.version)
    return NominationList(
        campaign_id=compilation.campaign_id,
        version=compilation.version,
        compiled_at=compilation.compiled_at,
        items=[NominationRead.model_validate(n) for n in compilation.nominations],
    )


@campaign_nominations_router.get(
    "/{campaign_id}/nominations",
    summary="Đề nghị khen thưởng with the rule, citation and facts of each, and the refusals",
    description="The latest version. A refusal is a title a member or unit registered for "
    "(đăng ký) and does not meet, with the condition that failed.",
    dependencies=READ,
)
async def campaign_nominations(
    campaign_id: UUID, session: SessionDep, response: Response
) -> CampaignNominations:
    compilation = await service.get_nominations(session, campaign_id)
    response.headers["ETag"] = etag(compilation.version)
    return CampaignNominations(
        campaign_id=compilation.campaign_id,
        version=compilation.version,
        rule_set=compilation.rule_set,
        compiled_at=compilation.compiled_at,
        nominations=[NominationRead.model_validate(n) for n in compilation.nominations],
        refusals=[RefusalRead.model_validate(r) for r in compilation.refusals],
    )


@campaign_nominations_router.get(
    "/{campaign_id}/compilations",
    summary="Các lần tổng hợp: every version of the compilation and what each changed",
    dependencies=READ,
)
async def campaign_compilations(campaign_id: UUID, session: SessionDep) -> CompilationHistory:
    versions = await service.list_compilations(session, campaign_id)
    return CompilationHistory(
        campaign_id=campaign_id,
        items=[
            CompilationVersion(
                version=c.version,
                compiled_at=c.compiled_at,
                rule_set=c.rule_set,
                review_rounds=c.review_rounds,
                nomination_count=nominations,
                refusal_count=refusals,
                added=c.added,
                removed=c.removed,
            )
            for c, nominations, refusals in versions
        ],
    )


@compilations_router.get(
    "/{campaign_id}",
    summary="Tổng hợp đề nghị khen thưởng: the compilation of a campaign (deprecated alias)",
    description="Deprecated: read GET /awards/campaigns/{campaign_id}/compilations, named in "
    'this answer\'s `Link: rel="successor-version"` header.',
    deprecated=True,
    dependencies=READ,
)
async def get_compilation(
    campaign_id: UUID, session: SessionDep, response: Response
) -> CompilationSummary:
    deprecated_alias(response, f"/awards/campaigns/{campaign_id}/compilations")
    compilation, nomination_count = await service.get_compilation_summary(session, campaign_id)
    response.headers["ETag"] = etag(compilation.version)
    return CompilationSummary(
        campaign_id=compilation.campaign_id,
        version=compilation.version,
        compiled_at=compilation.compiled_at,
        phases_reviewed=compilation.phases_reviewed,
        nomination_count=nomination_count,
    )
