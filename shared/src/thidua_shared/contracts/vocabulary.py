"""Codes that travel in events, with the Vietnamese term each stands for.

The contracts carry these as plain strings (marked with `KnownCodes`) so that a new code is an
additive change; services validate against these enums at their edges. The codes are the wire
values and stay as they are, Vietnamese or English; the members are named in English.
`docs/glossary.md` maps every code to its Vietnamese term and an English gloss.
"""

from thidua_shared.contracts.codes import Code


class Title(Code):
    """Danh hiệu thi đua and hình thức khen thưởng."""

    ADVANCED_WORKER = "lao_dong_tien_tien"
    GRASSROOTS_EMULATION_FIGHTER = "chien_si_thi_dua_co_so"
    PROVINCIAL_EMULATION_FIGHTER = "chien_si_thi_dua_cap_tinh"
    NATIONAL_EMULATION_FIGHTER = "chien_si_thi_dua_toan_quoc"
    ADVANCED_COLLECTIVE = "tap_the_lao_dong_tien_tien"
    EXCELLENT_COLLECTIVE = "tap_the_lao_dong_xuat_sac"
    PROVINCIAL_EMULATION_FLAG = "co_thi_dua_cap_tinh"
    PROVINCIAL_MERIT_CERTIFICATE = "bang_khen_cap_tinh"
    CERTIFICATE_OF_MERIT = "giay_khen"


class TaskRating(Code):
    """Xếp loại mức độ hoàn thành nhiệm vụ."""

    EXCELLENT = "xuat_sac"
    GOOD = "tot"
    COMPLETED = "hoan_thanh"
    NOT_COMPLETED = "khong_hoan_thanh"


class Discipline(Code):
    """Hình thức kỷ luật."""

    NONE = "none"
    REPRIMAND = "khien_trach"
    WARNING = "canh_cao"
    HIGHER = "higher"


class InitiativeLevel(Code):
    """Cấp công nhận of an initiative (sáng kiến) or research."""

    GRASSROOTS = "grassroots"
    PROVINCIAL = "provincial"
    NATIONAL = "national"


class Gender(Code):
    FEMALE = "female"
    MALE = "male"


class CampaignKind(Code):
    REGULAR = "regular"
    THEMATIC = "thematic"


class ReportKind(Code):
    PRELIMINARY = "preliminary"
    FINAL = "final"


class SubjectKind(Code):
    """Who an award goes to: a collective (tập thể) or a person (cá nhân)."""

    UNIT = "unit"
    PERSON = "person"


TITLES: dict[str, str] = {
    Title.ADVANCED_WORKER: "Lao động tiên tiến",
    Title.GRASSROOTS_EMULATION_FIGHTER: "Chiến sĩ thi đua cơ sở",
    Title.PROVINCIAL_EMULATION_FIGHTER: "Chiến sĩ thi đua cấp tỉnh",
    Title.NATIONAL_EMULATION_FIGHTER: "Chiến sĩ thi đua toàn quốc",
    Title.ADVANCED_COLLECTIVE: "Tập thể lao động tiên tiến",
    Title.EXCELLENT_COLLECTIVE: "Tập thể lao động xuất sắc",
    Title.PROVINCIAL_EMULATION_FLAG: "Cờ thi đua cấp tỉnh",
    Title.PROVINCIAL_MERIT_CERTIFICATE: "Bằng khen cấp tỉnh",
    Title.CERTIFICATE_OF_MERIT: "Giấy khen",
}
PERSON_TITLES = (
    Title.ADVANCED_WORKER,
    Title.GRASSROOTS_EMULATION_FIGHTER,
    Title.PROVINCIAL_EMULATION_FIGHTER,
    Title.NATIONAL_EMULATION_FIGHTER,
    Title.PROVINCIAL_MERIT_CERTIFICATE,
    Title.CERTIFICATE_OF_MERIT,
)
UNIT_TITLES = (
    Title.ADVANCED_COLLECTIVE,
    Title.EXCELLENT_COLLECTIVE,
    Title.PROVINCIAL_EMULATION_FLAG,
    Title.PROVINCIAL_MERIT_CERTIFICATE,
    Title.CERTIFICATE_OF_MERIT,
)

TASK_RATINGS: dict[str, str] = {
    TaskRating.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    TaskRating.GOOD: "Hoàn thành tốt nhiệm vụ",
    TaskRating.COMPLETED: "Hoàn thành nhiệm vụ",
    TaskRating.NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
}
# The same ratings without "nhiệm vụ", as column headings and spreadsheets say them.
TASK_RATINGS_SHORT: dict[str, str] = {
    TaskRating.EXCELLENT: "Hoàn thành xuất sắc",
    TaskRating.GOOD: "Hoàn thành tốt",
    TaskRating.COMPLETED: "Hoàn thành",
    TaskRating.NOT_COMPLETED: "Không hoàn thành",
}

DISCIPLINES: dict[str, str] = {
    Discipline.NONE: "Không",
    Discipline.REPRIMAND: "Khiển trách",
    Discipline.WARNING: "Cảnh cáo",
    Discipline.HIGHER: "Hình thức cao hơn (hạ bậc lương, cách chức, …)",
}

INITIATIVE_LEVELS: dict[str, str] = {
    InitiativeLevel.GRASSROOTS: "Cấp cơ sở",
    InitiativeLevel.PROVINCIAL: "Cấp tỉnh",
    InitiativeLevel.NATIONAL: "Toàn quốc",
}

GENDERS: dict[str, str] = {Gender.FEMALE: "Nữ", Gender.MALE: "Nam"}

# The orders the rules compare by: higher is better for a rating, graver for a discipline, wider
# for an initiative's level.
RATING_RANK: dict[str, int] = {
    TaskRating.NOT_COMPLETED: 0,
    TaskRating.COMPLETED: 1,
    TaskRating.GOOD: 2,
    TaskRating.EXCELLENT: 3,
}
DISCIPLINE_RANK: dict[str, int] = {
    Discipline.NONE: 0,
    Discipline.REPRIMAND: 1,
    Discipline.WARNING: 2,
    Discipline.HIGHER: 3,
}
LEVEL_RANK: dict[str, int] = {
    InitiativeLevel.GRASSROOTS: 1,
    InitiativeLevel.PROVINCIAL: 2,
    InitiativeLevel.NATIONAL: 3,
}
