"""The people of the 2018 year, generated deterministically from a seed.

A realistic mix: most members rated tốt, a quarter xuất sắc, a few hoàn thành and one or two
không hoàn thành; reprimands and a warning; initiatives mostly at grassroots level, a few
provincial; two years of prior titles, so that three-year chains reach back before the system.
"""

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

FAMILY_NAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
)
MALE_MIDDLE = ("Văn", "Hữu", "Minh", "Đức", "Quang", "Thanh")
FEMALE_MIDDLE = ("Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Kim")
MALE_GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tài",
    "Thắng",
    "Tuấn",
    "Việt",
)
FEMALE_GIVEN = (
    "Anh",
    "Hà",
    "Hạnh",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Tâm",
    "Thảo",
    "Trang",
    "Vy",
    "Yến",
)
POSITIONS = (
    "Chuyên viên",
    "Chuyên viên",
    "Chuyên viên",
    "Chuyên viên chính",
    "Kế toán",
    "Phó trưởng phòng",
    "Trưởng phòng",
)
RATING_WEIGHTS = {"xuat_sac": 25, "tot": 56, "hoan_thanh": 17, "khong_hoan_thanh": 2}


@dataclass(frozen=True)
class Initiative:
    identifier: str
    title: str
    level: str
    year: int


@dataclass(frozen=True)
class Research:
    """Accepted research (đề tài khoa học đã nghiệm thu)."""

    identifier: str
    title: str
    level: str
    accepted_on: str
    year: int


@dataclass(frozen=True)
class PriorTitle:
    year: int
    title: str


@dataclass
class Member:
    staff_code: str
    full_name: str
    gender: str
    position: str
    title_aimed: str
    rating: str = "tot"
    discipline: str = "none"
    under_investigation: bool = False
    initiatives: list[Initiative] = field(default_factory=list)
    research: list[Research] = field(default_factory=list)
    history: list[PriorTitle] = field(default_factory=list)


@dataclass
class UnitPeople:
    unit_code: str
    members: list[Member]


@dataclass(frozen=True)
class Scenario:
    seed: int
    units: Sequence[UnitPeople]

    @property
    def member_count(self) -> int:
        return sum(len(u.members) for u in self.units)


INITIATIVE_TOPICS = (
    "Số hóa quy trình tiếp nhận hồ sơ một cửa",
    "Ứng dụng chữ ký số trong văn bản điện tử",
    "Hệ thống nhắc việc tự động cho cán bộ",
    "Cổng thông tin cơ sở trên thiết bị di động",
    "Bản đồ số hạ tầng viễn thông của tỉnh",
    "Quy trình phản hồi tin giả trên mạng xã hội",
    "Chuẩn hóa dữ liệu báo chí, xuất bản",
    "Giám sát an toàn thông tin cho cơ quan nhà nước",
)


def generate(unit_codes: Sequence[str], *, seed: int = 2018, members: int = 150) -> Scenario:
    rng = random.Random(seed)
    per_unit = [members // len(unit_codes)] * len(unit_codes)
    for index in range(members - sum(per_unit)):
        per_unit[index] += 1
    initiative_counter = iter(range(1, 10_000))
    units = []
    for unit_code, count in zip(unit_codes, per_unit, strict=True):
        people = [_member(rng, unit_code, n, initiative_counter) for n in range(1, count + 1)]
        units.append(UnitPeople(unit_code, people))
    _plant_cases(units)
    return Scenario(seed, units)


def _member(rng: random.Random, unit_code: str, number: int, counter: Iterator[int]) -> Member:
    gender = rng.choice(("female", "male"))
    middle, given = (
        (FEMALE_MIDDLE, FEMALE_GIVEN) if gender == "female" else (MALE_MIDDLE, MALE_GIVEN)
    )
    full_name = f"{rng.choice(FAMILY_NAMES)} {rng.choice(middle)} {rng.choice(given)}"
    rating = rng.choices(list(RATING_WEIGHTS), weights=list(RATING_WEIGHTS.values()))[0]
    member = Member(
        staff_code=f"{unit_code}-{number:03d}",
        full_name=full_name,
        gender=gender,
        position=rng.choice(POSITIONS),
        title_aimed="chien_si_thi_dua_co_so" if rng.random() < 0.22 else "lao_dong_tien_tien",
        rating=rating,
    )
    if rating in ("xuat_sac", "tot") and rng.random() < 0.18:
        level = "provincial" if rng.random() < 0.15 else "grassroots"
        member.initiatives.append(
            Initiative(
                identifier=f"SK-2018-{next(counter):03d}",
                title=rng.choice(INITIATIVE_TOPICS),
                level=level,
                year=2018,
            )
        )
    for year in (2016, 2017):
        roll = rng.random()
        if roll < 0.2:
            member.history.append(PriorTitle(year, "chien_si_thi_dua_co_so"))
        elif roll < 0.85:
            member.history.append(PriorTitle(year, "lao_dong_tien_tien"))
    return member


def _plant_cases(units: list[UnitPeople]) -> None:
    """Cases every demo shows: a warning, reprimands, an investigation, and a three-year chain."""
    first, second, third = units[0].members, units[1].members, units[2].members
    first[1].discipline, first[1].rating = "canh_cao", "tot"
    second[2].discipline = "khien_trach"
    third[3].under_investigation = True
    veteran = first[0]
    veteran.title_aimed, veteran.rating = "chien_si_thi_dua_co_so", "xuat_sac"
    veteran.history = [
        PriorTitle(2016, "chien_si_thi_dua_co_so"),
        PriorTitle(2017, "chien_si_thi_dua_co_so"),
    ]
    # Two initiatives: each grounds one award only, the CSTĐCS and the provincial CSTĐ.
    veteran.title_aimed = "chien_si_thi_dua_cap_tinh"
    veteran.initiatives = [
        Initiative("SK-2018-900", "Nền tảng dữ liệu dùng chung của tỉnh", "provincial", 2018),
        Initiative("SK-2018-901", "Sổ tay số hóa hồ sơ lưu trữ", "grassroots", 2018),
    ]
    # Accepted research, a fact of its own: it grounds CSTĐCS as an initiative would.
    researcher = third[0]
    researcher.rating, researcher.title_aimed = "tot", "chien_si_thi_dua_co_so"
    researcher.discipline, researcher.under_investigation = "none", False
    researcher.research = [
        Research(
            "ĐT-2018-01",
            "Nghiên cứu mô hình chính quyền số cấp huyện",
            "grassroots",
            "2018-11-20",
            2018,
        )
    ]
