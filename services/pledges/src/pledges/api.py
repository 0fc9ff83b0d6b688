from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from pledges import drafts, service
from pledges.codes import RegistrationStatus
from pledges.models import Registration
from pledges.schemas import (
    RegistrationContent,
    RegistrationCreate,
    RegistrationPage,
    RegistrationRead,
    RegistrationReturn,
    RegistrationSummary,
    RegistrationVersionRead,
)
from thidua_shared.platform.auth import READERS, Principal, Role, allow
from thidua_shared.platform.http import (
    ExpectedVersion,
    IdempotentPosts,
    RequiredVersion,
    SessionDep,
    etag,
)
from thidua_shared.platform.pagination import DEFAULT_PAGE, MAX_PAGE
from thidua_shared.platform.validation import MAX_OFFSET

router = APIRouter(prefix="/registrations", tags=["registrations"], route_class=IdempotentPosts)

# Unit heads register for their own unit (the service checks which); the office may too and
# alone reviews. Unit heads read their own unit's registrations, the readers every one.
Submitter = Annotated[Principal, allow(Role.UNIT_HEAD, Role.OFFICE)]
Reader = Annotated[Principal, allow(Role.UNIT_HEAD, *READERS)]
Reviewer = Annotated[Principal, allow(Role.OFFICE)]


def _read(registration: Registration, response: Response) -> RegistrationRead:
    response.headers["ETag"] = etag(registration.version)
    return RegistrationRead.model_validate(registration)


@router.post(
    "",
    status_code=201,
    summary="Submit a unit's registration, or save a draft (đăng ký thi đua)",
    description="Refused (409) after the registration deadline unless the unit's extension "
    "runs, except with `draft` set: a draft may be saved at any time while the campaign is "
    "launched, and is checked against the deadline when it is submitted.",
)
async def create_registration(
    principal: Submitter,
    body: RegistrationCreate,
    session: SessionDep,
    response: Response,
) -> RegistrationRead:
    registration = await service.create_registration(session, body, principal)
    response.headers["Location"] = f"/pledges/registrations/{registration.id}"
    return _read(registration, response)


@router.get("", summary="List registrations (danh sách đăng ký thi đua)")
async def list_registrations(
    principal: Reader,
    session: SessionDep,
    campaign_id: UUID | None = None,
    unit_code: Annotated[str | None, Query(max_length=50)] = None,
    status: RegistrationStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> RegistrationPage:
    items, total = await service.list_registrations(
        session,
        principal,
        campaign_id=campaign_id,
        unit_code=unit_code,
        status=status,
        limit=limit,
        offset=offset,
    )
    return RegistrationPage(
        items=[RegistrationSummary.model_validate(r) for r in items],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/{registration_id}", summary="Read a registration")
async def get_registration(
    principal: Reader, registration_id: UUID, session: SessionDep, response: Response
) -> RegistrationRead:
    return _read(await service.get_registration(session, registration_id, principal), response)


@router.put(
    "/{registration_id}",
    summary="Change a draft or a returned registration (sửa đăng ký)",
    description="Needs If-Match. Replaces the whole content, checked as a submission's is; a "
    "returned registration is then resubmitted with POST .../resubmit.",
)
async def update_registration(
    principal: Submitter,
    registration_id: UUID,
    body: RegistrationContent,
    session: SessionDep,
    version: RequiredVersion,
    response: Response,
) -> RegistrationRead:
    registration = await drafts.update_content(session, registration_id, body, version, principal)
    return _read(registration, response)


@router.post(
    "/{registration_id}/submit",
    summary="Submit a draft (nộp bản nháp)",
    description="Refused (409) after the registration deadline unless the unit's extension "
    "runs. The submission is kept as version 1 and announced as pledge.submitted.",
)
async def submit_draft(
    principal: Submitter,
    registration_id: UUID,
    session: SessionDep,
    version: ExpectedVersion,
    response: Response,
) -> RegistrationRead:
    registration = await drafts.submit_draft(session, registration_id, version, principal)
    return _read(registration, response)


@router.get("/{registration_id}/versions", summary="Every submission of a registration, as sent")
async def list_versions(
    principal: Reader, registration_id: UUID, session: SessionDep
) -> list[RegistrationVersionRead]:
    versions = await service.list_versions(session, registration_id, principal)
    return [RegistrationVersionRead.model_validate(v) for v in versions]


@router.post("/{registration_id}/approve", summary="Approve a submitted registration (phê duyệt)")
async def approve_registration(
    principal: Reviewer,
    registration_id: UUID,
    session: SessionDep,
    version: ExpectedVersion,
    response: Response,
) -> RegistrationRead:
    return _read(await service.approve(session, registration_id, version, principal), response)


@router.post("/{registration_id}/return", summary="Return a registration for revision (trả lại)")
async def return_registration(
    principal: Reviewer,
    registration_id: UUID,
    body: RegistrationReturn,
    session: SessionDep,
    version: ExpectedVersion,
    response: Response,
) -> RegistrationRead:
    item_reasons = [item.model_dump() for item in body.item_reasons]
    registration = await service.return_for_revision(
        session, registration_id, body.reason, item_reasons, version, principal
    )
    return _read(registration, response)


@router.post("/{registration_id}/resubmit", summary="Resubmit a returned registration (nộp lại)")
async def resubmit_registration(
    principal: Submitter,
    registration_id: UUID,
    body: RegistrationContent,
    session: SessionDep,
    version: ExpectedVersion,
    response: Response,
) -> RegistrationRead:
    registration = await service.resubmit(session, registration_id, body, version, principal)
    return _read(registration, response)
