from thidua_shared.platform.downloads import content_disposition


def test_an_ascii_name_is_sent_as_it_is() -> None:
    assert content_disposition("ke-hoach-60-KH-STTTT.pdf") == (
        'attachment; filename="ke-hoach-60-KH-STTTT.pdf"'
    )
    assert content_disposition("a.pdf", inline=True) == 'inline; filename="a.pdf"'


def test_a_vietnamese_name_travels_encoded_with_a_plain_fallback() -> None:
    header = content_disposition("quyết-định-15-QĐ.pdf")

    header.encode("latin-1")
    assert "filename*=UTF-8''quy%E1%BA%BFt-%C4%91%E1%BB%8Bnh-15-Q%C4%90.pdf" in header
    assert header.endswith('filename="quyet-dinh-15-QD.pdf"')
