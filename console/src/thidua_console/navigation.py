"""The menu of each role: the screens it works in. The API still decides what each may do."""

from dataclasses import dataclass

from thidua_shared.platform.auth import Role


@dataclass(frozen=True)
class Link:
    path: str
    label: str


OFFICE_MENU = (
    Link("/phong-trao", "Phong trào"),
    Link("/danh-muc", "Đơn vị và cụm"),
    Link("/tien-do", "Tiến độ"),
    Link("/giao-uoc", "Giao ước"),
    Link("/dang-ky", "Đăng ký thi đua"),
    Link("/bao-cao", "Sơ kết, tổng kết"),
    Link("/bao-cao/tong-hop", "Báo cáo tổng hợp"),
    Link("/de-nghi", "Đề nghị khen thưởng"),
    Link("/hoi-dong", "Bình xét và hội đồng"),
    Link("/cong-khai-lay-y-kien", "Lấy ý kiến"),
    Link("/quyet-dinh", "Quyết định"),
    Link("/ho-so", "Hồ sơ đề nghị cấp trên"),
    Link("/dien-hinh", "Điển hình tiên tiến"),
    Link("/van-ban", "Văn bản"),
)
MENUS: dict[Role | None, tuple[Link, ...]] = {
    None: (Link("/", "Trang chủ"),),
    Role.OFFICE: OFFICE_MENU,
    Role.OBSERVER: OFFICE_MENU,
    Role.UNIT_HEAD: (
        Link("/don-vi/dang-ky", "Đăng ký thi đua"),
        Link("/don-vi/giao-uoc", "Giao ước thi đua"),
        Link("/don-vi/bao-cao", "Sơ kết, tổng kết"),
    ),
    Role.COUNCIL_MEMBER: (
        Link("/hoi-dong", "Phiên họp hội đồng"),
        Link("/de-nghi", "Đề nghị khen thưởng"),
    ),
    Role.DECISION_SIGNER: (
        Link("/quyet-dinh", "Quyết định khen thưởng"),
        Link("/ho-so", "Hồ sơ đề nghị cấp trên"),
        Link("/de-nghi", "Đề nghị khen thưởng"),
    ),
    Role.INTEGRATION: (),
}
HOMES: dict[Role, str] = {
    Role.OFFICE: "/phong-trao",
    Role.OBSERVER: "/phong-trao",
    Role.UNIT_HEAD: "/don-vi/dang-ky",
    Role.COUNCIL_MEMBER: "/hoi-dong",
    Role.DECISION_SIGNER: "/quyet-dinh",
    Role.INTEGRATION: "/cong-khai",
}


def navigation_for(role: Role | None) -> tuple[Link, ...]:
    # Every signed-in role can still see what the public sees.
    public = Link("/cong-khai", "Trang công khai")
    return (*MENUS.get(role, ()), public) if role else MENUS[None]
