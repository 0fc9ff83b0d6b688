"""The broker's accounts, as deploy/rabbitmq/make_definitions.py generates them from the secrets
when the stack starts: least privilege, no guest, the passwords of the secret files.

Checked against a live broker once by hand (a temporary vhost: a service user could declare and
consume its own queues and publish events, not declare another service's queue; the department
user could declare, bind and read `dept.*` queues only). Here the rules are checked statically.
"""

import base64
import json
import re
from pathlib import Path

import pytest

from deploy import make_secrets
from deploy.rabbitmq import make_definitions

SERVICES = ("campaigns", "pledges", "reports", "awards")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    folder = tmp_path_factory.mktemp("secrets")
    make_secrets.make_secrets(folder)
    make_definitions.main([str(folder), str(folder / "definitions.json")])
    loaded: dict[str, object] = json.loads((folder / "definitions.json").read_text())
    return folder, loaded


@pytest.fixture(scope="module")
def permissions(generated: tuple[Path, dict[str, object]]) -> dict[str, dict[str, str]]:
    _, loaded = generated
    assert isinstance(loaded["permissions"], list)
    return {p["user"]: p for p in loaded["permissions"]}


def allows(pattern: str, name: str) -> bool:
    return re.fullmatch(pattern, name) is not None or re.match(pattern, name) is not None


def test_every_user_has_the_password_of_its_secret_file_and_there_is_no_guest(
    generated: tuple[Path, dict[str, object]],
) -> None:
    folder, loaded = generated
    assert isinstance(loaded["users"], list)
    users = {u["name"]: u for u in loaded["users"]}
    assert set(users) == {"thidua-admin", "department", *SERVICES}
    for name, user in users.items():
        salt = base64.b64decode(user["password_hash"])[:4]
        password = (folder / f"amqp_{name}_password").read_text()
        assert make_definitions.password_hash(password, salt) == user["password_hash"], name
    assert users["thidua-admin"]["tags"] == ["administrator"]
    assert all(not u["tags"] for name, u in users.items() if name != "thidua-admin")


def test_a_missing_password_file_stops_the_generation(tmp_path: Path) -> None:
    make_secrets.make_secrets(tmp_path)
    (tmp_path / "amqp_awards_password").unlink()
    with pytest.raises(SystemExit, match="no password for broker user awards"):
        make_definitions.main([str(tmp_path), str(tmp_path / "definitions.json")])
    assert not (tmp_path / "definitions.json").exists()


def test_no_definitions_file_is_committed() -> None:
    rabbitmq = Path(make_definitions.__file__).parent
    assert not (rabbitmq / "definitions.json").exists(), "generated at deploy time only"


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_reaches_its_own_queues_the_exchange_and_the_archive_only(
    permissions: dict[str, dict[str, str]], service: str
) -> None:
    rules = permissions[service]
    for name in (service, f"{service}.dlq", "thidua.events", "thidua.events.archive"):
        assert allows(rules["configure"], name), name
    assert allows(rules["write"], "thidua.events")
    assert allows(rules["read"], service)
    assert allows(rules["read"], "thidua.events.archive"), "a service replays the archive"
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
