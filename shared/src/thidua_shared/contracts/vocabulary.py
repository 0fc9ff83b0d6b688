"""Codes that travel in events, with the Vietnamese term each stands for.

The contracts carry these as plain strings so that a new code is an additive change; services
validate against these tuples at their edges.
"""

TITLES: dict[str, str] = {
    "lao_dong_tien_tien": "Lao động tiên tiến",
    "chien_si_thi_dua_co_so": "Chiến sĩ thi đua cơ sở",
    "chien_si_thi_dua_cap_tinh": "Chiến sĩ thi đua cấp tỉnh",
    "chien_si_thi_dua_toan_quoc": "Chiến sĩ thi đua toàn quốc",
    "tap_the_lao_dong_tien_tien": "Tập thể lao động tiên tiến",
    "tap_the_lao_dong_xuat_sac": "Tập thể lao động xuất sắc",
    "co_thi_dua_cap_tinh": "Cờ thi đua cấp tỉnh",
    "bang_khen_cap_tinh": "Bằng khen cấp tỉnh",
    "giay_khen": "Giấy khen",
}
PERSON_TITLES = (
    "lao_dong_tien_tien",
    "chien_si_thi_dua_co_so",
    "chien_si_thi_dua_cap_tinh",
    "chien_si_thi_dua_toan_quoc",
    "bang_khen_cap_tinh",
    "giay_khen",
)
UNIT_TITLES = (
    "tap_the_lao_dong_tien_tien",
    "tap_the_lao_dong_xuat_sac",
    "co_thi_dua_cap_tinh",
    "bang_khen_cap_tinh",
    "giay_khen",
)

TASK_RATINGS: dict[str, str] = {
    "xuat_sac": "Hoàn thành xuất sắc nhiệm vụ",
    "tot": "Hoàn thành tốt nhiệm vụ",
    "hoan_thanh": "Hoàn thành nhiệm vụ",
    "khong_hoan_thanh": "Không hoàn thành nhiệm vụ",
}

DISCIPLINES: dict[str, str] = {
    "none": "Không",
    "khien_trach": "Khiển trách",
    "canh_cao": "Cảnh cáo",
    "higher": "Hình thức cao hơn (hạ bậc lương, cách chức, …)",
}

INITIATIVE_LEVELS: dict[str, str] = {
    "grassroots": "Cấp cơ sở",
    "provincial": "Cấp tỉnh",
    "national": "Toàn quốc",
}

GENDERS: dict[str, str] = {"female": "Nữ", "male": "Nam"}
