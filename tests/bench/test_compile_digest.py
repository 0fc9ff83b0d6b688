"""The awards compile still decides, on the benchmark's generated province at 0.1×, exactly
what it decided when its digest was recorded in bench/golden/compile-digest.json: a change to
the compile's code that alters a nomination or a refusal fails here."""

from awards_compile import compile_province, load
from compile_digest import GOLDEN, golden, result_digest

from thidua_shared.testing import database_url

SCALE = 0.1


async def test_the_compile_decides_what_its_golden_digest_recorded() -> None:
    name = "thidua_test_compile_digest"
    await load(SCALE, name)
    database = database_url(name)
    await compile_province(database)

    found = await result_digest(database)
    recorded = golden()[str(SCALE)]
    assert found == recorded, (
        f"the compile's results at {SCALE}× differ from {GOLDEN.name}: {found} against "
        f"{recorded}. If the change is meant, record the new digests with "
        "`uv run python bench/awards_compile.py --golden write` and say why in the commit."
    )
