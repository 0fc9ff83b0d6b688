"""The dossier's codes: who decides (thẩm quyền), the agency's level, the dossier's status."""

from thidua_shared.contracts.codes import Code


class Authority(Code):
    """Who decides a title or form (thẩm quyền quyết định khen thưởng)."""

    AGENCY_HEAD = "agency_head"
    DISTRICT_CHAIRMAN = "district_chairman"
    PROVINCIAL_CHAIRMAN = "provincial_chairman"
    MINISTER = "minister"
    PRIME_MINISTER = "prime_minister"
    PRESIDENT = "president"


class AgencyLevel(Code):
    """The level of the agency running the movement (cấp của cơ quan)."""

    PROVINCIAL_DEPARTMENT = "provincial_department"
    DISTRICT = "district"
    PROVINCE = "province"
    MINISTRY = "ministry"


class DossierStatus(Code):
    """Where a dossier to a higher authority (hồ sơ đề nghị khen thưởng) stands."""

    DRAFTED = "drafted"
    SENT = "sent"
    RETURNED = "returned"
    DECIDED = "decided"


# The decider as a tờ trình addresses them; the governing body's name completes it.
ADDRESSEES: dict[Authority, str] = {
    Authority.AGENCY_HEAD: "Thủ trưởng cơ quan",
    Authority.DISTRICT_CHAIRMAN: "Chủ tịch Ủy ban nhân dân",
    Authority.PROVINCIAL_CHAIRMAN: "Chủ tịch Ủy ban nhân dân",
    Authority.MINISTER: "Bộ trưởng",
    Authority.PRIME_MINISTER: "Thủ tướng Chính phủ",
    Authority.PRESIDENT: "Chủ tịch nước",
}
