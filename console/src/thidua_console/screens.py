"""Every main screen of the console, at a fixed path, with the role to view it as (None: the
public) and a unit of the 2018 demo for the unit head's. Screens that need a movement show the
newest when no `?phong_trao=<id>` is given. The browser tests screenshot and check each one."""

from dataclasses import dataclass

DEMO_UNIT = "VP"  # Văn phòng Sở, in Cụm thi đua số 1 of the 2018 plan


@dataclass(frozen=True)
class Screen:
    slug: str
    title: str
    path: str
    role: str | None
    unit: str | None


OFFICE = "office"
MAIN_SCREENS: tuple[Screen, ...] = (
    Screen("cong-khai", "Trang công khai", "/", None, None),
    Screen("dang-nhap", "Đăng nhập", "/dang-nhap", None, None),
    Screen("phong-trao", "Phong trào thi đua", "/phong-trao", OFFICE, None),
    Screen("ke-hoach", "Kế hoạch và phát động", "/phong-trao/ke-hoach", OFFICE, None),
    Screen("ke-hoach-moi", "Lập kế hoạch phong trào", "/phong-trao/moi", OFFICE, None),
    Screen("danh-muc", "Đơn vị và cụm thi đua", "/danh-muc", OFFICE, None),
    Screen("tien-do", "Tiến độ", "/tien-do", OFFICE, None),
    Screen("dang-ky", "Duyệt đăng ký thi đua", "/dang-ky", OFFICE, None),
    Screen("bao-cao", "Duyệt báo cáo sơ kết, tổng kết", "/bao-cao", OFFICE, None),
    Screen("bao-cao-tong-hop", "Báo cáo tổng hợp", "/bao-cao/tong-hop", OFFICE, None),
    Screen("de-nghi", "Đề nghị khen thưởng", "/de-nghi", OFFICE, None),
    Screen("hoi-dong", "Bình xét và Hội đồng", "/hoi-dong", OFFICE, None),
    Screen("giao-uoc", "Giao ước thi đua theo cụm", "/giao-uoc", OFFICE, None),
    Screen(
        "binh-xet-cum",
        "Nhập kết quả bình xét trong cụm",
        "/hoi-dong/binh-xet-cum?cum=CUM1",
        OFFICE,
        None,
    ),
    Screen("cong-khai-lay-y-kien", "Công khai lấy ý kiến", "/cong-khai-lay-y-kien", OFFICE, None),
    Screen("quyet-dinh", "Quyết định và hồ sơ", "/quyet-dinh", OFFICE, None),
    Screen("ho-so", "Hồ sơ đề nghị cấp trên", "/ho-so", OFFICE, None),
    Screen("dien-hinh", "Điển hình tiên tiến", "/dien-hinh", OFFICE, None),
    Screen("van-ban", "Văn bản", "/van-ban", OFFICE, None),
    Screen(
        "don-vi-dang-ky", "Đăng ký thi đua của đơn vị", "/don-vi/dang-ky", "unit_head", DEMO_UNIT
    ),
    Screen("don-vi-giao-uoc", "Giao ước thi đua", "/don-vi/giao-uoc", "unit_head", DEMO_UNIT),
    Screen("don-vi-bao-cao", "Báo cáo của đơn vị", "/don-vi/bao-cao", "unit_head", DEMO_UNIT),
    Screen("thanh-vien-hoi-dong", "Chương trình họp Hội đồng", "/hoi-dong", "council_member", None),
    Screen("nguoi-ky", "Quyết định để ký", "/quyet-dinh", "decision_signer", None),
    Screen(
        "nguoi-ky-ho-so", "Hồ sơ đề nghị cấp trên (người ký)", "/ho-so", "decision_signer", None
    ),
    Screen("theo-doi", "Tiến độ (người theo dõi)", "/tien-do", "observer", None),
)
