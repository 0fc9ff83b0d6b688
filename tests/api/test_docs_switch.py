"""THIDUA_API_DOCS=false hides the interactive docs and the OpenAPI document; the API stays."""

import pytest

from campaigns.main import spec as campaigns_spec
from thidua_shared.testing import RecordingBus, migrated_database
from thidua_shared.testing import running_service as run


@pytest.mark.parametrize("shown", [True, False])
async def test_the_docs_can_be_turned_off(shown: bool) -> None:
    database = await migrated_database(campaigns_spec, "thidua_test_docs_switch")
    async with run(campaigns_spec, database, RecordingBus(), api_docs=shown) as service:
        for path in ("/campaigns/docs", "/campaigns/openapi.json"):
            response = await service.client.get(path, headers={"Authorization": ""})
            assert response.status_code == (200 if shown else 404), path
        assert (await service.client.get("/campaigns/campaigns")).status_code == 200
