from uuid import uuid4

from thidua_shared.testing import RunningService


async def test_campaign_id_that_is_not_a_uuid_is_named(awards: RunningService) -> None:
    response = await awards.client.get("/awards/nominations", params={"campaign_id": "đợt-1"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "campaign_id"

    summary = await awards.client.get("/awards/compilations/not-a-uuid")
    assert summary.status_code == 422
    assert summary.json()["field"] == "campaign_id"


async def test_campaign_id_is_required(awards: RunningService) -> None:
    response = await awards.client.get("/awards/nominations")
    assert response.status_code == 422
    assert response.json()["field"] == "campaign_id"


async def test_nothing_compiled_is_not_found(awards: RunningService) -> None:
    campaign_id = str(uuid4())
    for url, params in (
        ("/awards/nominations", {"campaign_id": campaign_id}),
        (f"/awards/compilations/{campaign_id}", {}),
    ):
        response = await awards.client.get(url, params=params)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["field"] == "campaign_id"
