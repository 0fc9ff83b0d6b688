from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from awards import disclosure
from awards.disclosure_schemas import (
    AnswerCreate,
    CommentCreate,
    CommentRead,
    DisclosureCreate,
    DisclosureRead,
    PublicDisclosureList,
    PublicDisclosureRead,
)
from thidua_shared.platform.auth import PUBLIC, READERS, Role, allow
from thidua_shared.platform.http import IdempotencyDep, SessionDep

router = APIRouter(prefix="/disclosures", tags=["disclosure"])
public_router = APIRouter(prefix="/public/disclosures", tags=["public"])

Office = [allow(Role.OFFICE)]


@router.post(
    "",
    status_code=201,
    summary="Disclose the council's approved list for comment (công khai lấy ý kiến)",
    dependencies=Office,
)
async def disclose(
    body: DisclosureCreate, session: SessionDep, idempotency: IdempotencyDep, response: Response
) -> DisclosureRead:
    created = await disclosure.disclose(session, body)
    response.headers["Location"] = f"/awards/disclosures/{created.id}"
    read: DisclosureRead = await idempotency.remember(DisclosureRead.model_validate(created))
    return read


@router.get(
    "/{disclosure_id}",
    summary="A disclosure with its comments and complaints",
    dependencies=[allow(*READERS)],
)
async def get_disclosure(disclosure_id: UUID, session: SessionDep) -> DisclosureRead:
    return DisclosureRead.model_validate(await disclosure.get_disclosure(session, disclosure_id))


@router.post(
    "/{disclosure_id}/comments",
    status_code=201,
    summary="Record a comment or complaint received (góp ý, khiếu nại)",
    dependencies=Office,
)
async def record_comment(
    disclosure_id: UUID, body: CommentCreate, session: SessionDep
) -> CommentRead:
    return CommentRead.model_validate(await disclosure.record_comment(session, disclosure_id, body))


@router.post(
    "/{disclosure_id}/comments/{comment_id}/answer",
    summary="Answer a comment or complaint (trả lời)",
    dependencies=Office,
)
async def answer_comment(
    disclosure_id: UUID, comment_id: UUID, body: AnswerCreate, session: SessionDep
) -> CommentRead:
    return CommentRead.model_validate(
        await disclosure.answer_comment(session, disclosure_id, comment_id, body)
    )


@public_router.get(
    "", summary="Danh sách công khai: disclosed lists of a campaign", dependencies=[PUBLIC]
)
async def list_public_disclosures(
    campaign_id: Annotated[UUID, Query(description="The campaign (phong trào thi đua).")],
    session: SessionDep,
) -> PublicDisclosureList:
    found = await disclosure.list_disclosures(session, campaign_id)
    return PublicDisclosureList(
        campaign_id=campaign_id, items=[PublicDisclosureRead.model_validate(d) for d in found]
    )


@public_router.get(
    "/{disclosure_id}", summary="A disclosed list and its comment period", dependencies=[PUBLIC]
)
async def get_public_disclosure(disclosure_id: UUID, session: SessionDep) -> PublicDisclosureRead:
    found = await disclosure.get_disclosure(session, disclosure_id)
    return PublicDisclosureRead.model_validate(found)
