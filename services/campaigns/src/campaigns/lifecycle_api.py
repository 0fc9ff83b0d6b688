from functools import partial
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from campaigns import lifecycle, service
from campaigns.api import OFFICE, READERS, read_campaign
from campaigns.calendar import calendar
from campaigns.plan_document import plan_document
from campaigns.schemas import (
    AmendmentCreate,
    AmendmentRead,
    CalendarRead,
    CampaignCancel,
    CampaignRead,
)
from thidua_shared.documents import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE, render_docx, render_pdf
from thidua_shared.platform.downloads import file_response
from thidua_shared.platform.http import ExpectedVersion, IdempotentPosts, SessionDep, etag

router = APIRouter(prefix="/campaigns", tags=["campaigns"], route_class=IdempotentPosts)

DocumentFormat = Literal["pdf", "docx"]


@router.post(
    "/{campaign_id}/amendments",
    status_code=201,
    summary="Amend a launched plan (sửa đổi, bổ sung) with a reason; announced in full",
    dependencies=OFFICE,
)
async def amend_campaign(
    campaign_id: UUID,
    body: AmendmentCreate,
    session: SessionDep,
    version: ExpectedVersion,
    response: Response,
) -> AmendmentRead:
    campaign, amendment = await lifecycle.amend(session, campaign_id, body, version)
    # The campaign's new version, for the next If-Match.
    response.headers["ETag"] = etag(campaign.version)
    return AmendmentRead.model_validate(amendment)


@router.get(
    "/{campaign_id}/amendments",
    summary="The amendments of a campaign, in order, each with its reason",
    dependencies=READERS,
)
async def list_amendments(campaign_id: UUID, session: SessionDep) -> list[AmendmentRead]:
    found = await lifecycle.list_amendments(session, campaign_id)
    return [AmendmentRead.model_validate(a) for a in found]


@router.post(
    "/{campaign_id}/cancel",
    summary="Cancel a draft or running campaign (hủy phong trào) with a reason",
    dependencies=OFFICE,
)
async def cancel_campaign(
    campaign_id: UUID,
    body: CampaignCancel,
    session: SessionDep,
    version: ExpectedVersion,
    response: Response,
) -> CampaignRead:
    campaign = await lifecycle.cancel(session, campaign_id, body.reason, version)
    return read_campaign(campaign, response)


@router.get(
    "/{campaign_id}/calendar",
    summary="The phase calendar (lịch các đợt): open now, next to open, next to close",
    dependencies=READERS,
)
async def campaign_calendar(campaign_id: UUID, session: SessionDep) -> CalendarRead:
    return calendar(await service.get_campaign(session, campaign_id))


_DOCUMENT_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {PDF_MEDIA_TYPE: {}, DOCX_MEDIA_TYPE: {}}}
}


async def _document(session: SessionDep, campaign_id: UUID, format: DocumentFormat) -> Response:
    campaign = await service.get_campaign(session, campaign_id)
    document = plan_document(campaign)
    render, media_type = (
        (render_pdf, PDF_MEDIA_TYPE) if format == "pdf" else (render_docx, DOCX_MEDIA_TYPE)
    )
    name = f"ke-hoach-{campaign.document_number.replace('/', '-')}.{format}"
    return await file_response(partial(render, document), media_type, name)


@router.get(
    "/{campaign_id}/document",
    summary="The launched plan as the agency's document (văn bản kế hoạch), PDF or DOCX",
    response_class=Response,
    responses=_DOCUMENT_RESPONSES,
    dependencies=READERS,
)
async def campaign_document(
    campaign_id: UUID, session: SessionDep, format: Annotated[DocumentFormat, Query()] = "pdf"
) -> Response:
    return await _document(session, campaign_id, format)


@router.get(
    "/{campaign_id}/document.pdf",
    summary="The launched plan as PDF",
    response_class=Response,
    responses={200: {"content": {PDF_MEDIA_TYPE: {}}}},
    dependencies=READERS,
)
async def campaign_document_pdf(campaign_id: UUID, session: SessionDep) -> Response:
    return await _document(session, campaign_id, "pdf")


@router.get(
    "/{campaign_id}/document.docx",
    summary="The launched plan as DOCX (Word)",
    response_class=Response,
    responses={200: {"content": {DOCX_MEDIA_TYPE: {}}}},
    dependencies=READERS,
)
async def campaign_document_docx(campaign_id: UUID, session: SessionDep) -> Response:
    return await _document(session, campaign_id, "docx")
