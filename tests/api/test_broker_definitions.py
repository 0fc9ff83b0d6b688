"""The broker's accounts (deploy/rabbitmq/definitions.json): least privilege, no guest.

Checked against a live broker once by hand (a temporary vhost: a service user could declare and
consume its own queues and publish events, not declare another service's queue; the department
user could declare, bind and read `dept.*` queues only). Here the rules are checked statically.
"""

import json
import re
from pathlib import Path

import pytest

DEFINITIONS = Path(__file__).resolve().parents[2] / "deploy" / "rabbitmq" / "definitions.json"
SERVICES = ("campaigns", "pledges", "reports", "awards")


@pytest.fixture(scope="module")
def permissions() -> dict[str, dict[str, str]]:
    loaded = json.loads(DEFINITIONS.read_text(encoding="utf-8"))
    assert "guest" not in {u["name"] for u in loaded["users"]}
    return {p["user"]: p for p in loaded["permissions"]}


def allows(pattern: str, name: str) -> bool:
    return re.fullmatch(pattern, name) is not None or re.match(pattern, name) is not None


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_reaches_its_own_queues_and_the_exchange_only(
    permissions: dict[str, dict[str, str]], service: str
) -> None:
    rules = permissions[service]
    for name in (service, f"{service}.dlq", "thidua.events", "thidua.events.archive"):
        assert allows(rules["configure"], name), name
    assert allows(rules["write"], "thidua.events")
    assert allows(rules["read"], service)
    for other in set(SERVICES) - {service}:
        for kind in ("configure", "write", "read"):
            assert not allows(rules[kind], other), (kind, other)
            assert not allows(rules[kind], f"{other}.dlq"), (kind, other)


def test_a_department_may_only_declare_bind_and_read_its_own_queues(
    permissions: dict[str, dict[str, str]],
) -> None:
    rules = permissions["department"]
    assert allows(rules["configure"], "dept.ministry")
    assert allows(rules["read"], "thidua.events")
    assert allows(rules["read"], "thidua.events.archive"), "departments replay the archive"
    assert not allows(rules["write"], "thidua.events"), "departments must not publish"
    for name in (*SERVICES, "thidua.events", "thidua.events.archive"):
        assert not allows(rules["configure"], name), name
    for name in SERVICES:
        assert not allows(rules["read"], name), name
