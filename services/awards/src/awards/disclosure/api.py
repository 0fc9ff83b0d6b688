from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from awards.disclosure import service
from awards.disclosure.public_limits import within_public_limits
from awards.disclosure.schemas import (
    AnswerCreate,
    CommentCreate,
    CommentRead,
    DisclosureCreate,
    DisclosureRead,
    PublicDisclosureList,
    PublicDisclosureRead,
)
from thidua_shared.platform.auth import PUBLIC, READERS, Role, allow
from thidua_shared.platform.http import IdempotentPosts, SessionDep

router = APIRouter(prefix="/disclosures", tags=["disclosure"], route_class=IdempotentPosts)
public_router = APIRouter(prefix="/public/disclosures", tags=["public"])

Office = [allow(Role.OFFICE)]


@router.post(
    "",
    status_code=201,
    summary="Disclose the council's approved list for comment (công khai lấy ý kiến)",
    dependencies=Office,
)
async def disclose(
    body: DisclosureCreate, session: SessionDep, response: Response
) -> DisclosureRead:
    created = await service.disclose(session, body)
    response.headers["Location"] = f"/awards/disclosures/{created.id}"
    return DisclosureRead.model_validate(created)


@router.get(
    "/{disclosure_id}",
    summary="A disclosure with its comments and complaints",
    dependencies=[allow(*READERS)],
)
async def get_disclosure(disclosure_id: UUID, session: SessionDep) -> DisclosureRead:
    return DisclosureRead.model_validate(await service.get_disclosure(session, disclosure_id))


@router.post(
    "/{disclosure_id}/comments",
    status_code=201,
    summary="Record a comment or complaint received (góp ý, khiếu nại)",
    dependencies=Office,
)
async def record_comment(
    disclosure_id: UUID, body: CommentCreate, session: SessionDep
) -> CommentRead:
    return CommentRead.model_validate(await service.record_comment(session, disclosure_id, body))


@router.post(
    "/{disclosure_id}/comments/{comment_id}/answer",
    summary="Answer a comment or complaint (trả lời)",
    dependencies=Office,
)
async def answer_comment(
    disclosure_id: UUID, comment_id: UUID, body: AnswerCreate, session: SessionDep
) -> CommentRead:
    return CommentRead.model_validate(
        await service.answer_comment(session, disclosure_id, comment_id, body)
    )


@public_router.get(
    "", summary="Danh sách công khai: disclosed lists of a campaign", dependencies=[PUBLIC]
)
async def list_public_disclosures(
    campaign_id: Annotated[UUID, Query(description="The campaign (phong trào thi đua).")],
    session: SessionDep,
) -> PublicDisclosureList:
    found = await service.list_disclosures(session, campaign_id)
    return PublicDisclosureList(
        campaign_id=campaign_id, items=[PublicDisclosureRead.model_validate(d) for d in found]
    )


@public_router.get(
    "/{disclosure_id}", summary="A disclosed list and its comment period", dependencies=[PUBLIC]
)
async def get_public_disclosure(disclosure_id: UUID, session: SessionDep) -> PublicDisclosureRead:
    found = await service.get_disclosure(session, disclosure_id)
    return PublicDisclosureRead.model_validate(found)


@public_router.post(
    "/{disclosure_id}/comments",
    status_code=201,
    summary="Gửi góp ý, khiếu nại (send a comment or complaint) while the list is disclosed",
    description="Open to anyone, without a token, during the comment period; limited per "
    "address and per disclosure (429 with Retry-After beyond). The comment joins the office's "
    "queue of the disclosure, where it is answered like those the office records.",
    dependencies=[PUBLIC, Depends(within_public_limits)],
)
async def send_public_comment(
    disclosure_id: UUID, body: CommentCreate, session: SessionDep
) -> CommentRead:
    return CommentRead.model_validate(await service.record_comment(session, disclosure_id, body))
