"""The published event catalogue is generated from the code and kept current."""

from pathlib import Path

import yaml

from thidua_local.allinone import SPECS
from thidua_local.asyncapi import build_document
from thidua_shared.contracts import CATALOGUE

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"


def test_the_committed_asyncapi_document_is_current() -> None:
    generated = yaml.safe_load(build_document(SPECS).to_specification().to_yaml())
    committed = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    assert committed == generated, "docs/asyncapi.yaml is stale: run `uv run thidua asyncapi`"


def test_every_event_type_is_documented() -> None:
    text = DOCUMENT.read_text(encoding="utf-8")
    for event_type, model in CATALOGUE.items():
        assert event_type in text
        assert model.__name__ in text
