"""deploy/compose.yaml: valid by the Compose specification, every service given every setting it
needs from its environment and Docker secrets, no credential written in it, and a broker whose
generated accounts hold the passwords the services are given."""

import base64
import json
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from deploy import make_secrets
from deploy.rabbitmq import make_definitions
from tests.deploy.settings_check import SERVICES, check_settings, settings_for

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
# ${NAME}, ${NAME:-default}, ${NAME-default}; $$ is a literal dollar.
VARIABLE = re.compile(
    r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?-)(?P<default>[^}]*))?\}"
)


def example_environment() -> dict[str, str]:
    """The variables of deploy/.env.example, as compose reads them from deploy/.env."""
    found = {}
    for line in (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            found[name.strip()] = value.strip()
    return found


def interpolate(value: str, variables: Mapping[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, default = match.group("name", "op", "default")
        given = variables.get(name)
        if op == ":-" and not given:
            return str(default)
        if op == "-" and given is None:
            return str(default)
        assert given is not None, f"${{{name}}} has no default and no value in .env.example"
        return given

    return VARIABLE.sub(one, value)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return loaded


def test_the_compose_file_follows_the_compose_specification() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--schemafile",
            str(DEPLOY / "schemas" / "compose-spec.json"),
            str(COMPOSE),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_variable_of_the_example_is_used_and_every_one_used_has_a_value(
    compose: dict[str, Any],
) -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    used = {m.group("name") for m in VARIABLE.finditer(text) if m.group("name")}
    assert set(example_environment()) == used


def service_environment(
    service: dict[str, Any],
    variables: Mapping[str, str],
    secrets_dir: Path,
    compose: dict[str, Any],
) -> dict[str, str]:
    """The service's environment as the container sees it, `/run/secrets/<name>` pointing to
    the secret's file, which the service must list and the file the top level names."""
    environment = {}
    listed = set(service.get("secrets", []))
    for name, raw in (service.get("environment") or {}).items():
        value = interpolate(str(raw), variables)
        if value.startswith("/run/secrets/"):
            secret = value.removeprefix("/run/secrets/")
            assert secret in listed, f"{name} reads secret {secret}, which is not mounted"
            source = interpolate(compose["secrets"][secret]["file"], variables)
            assert source == f"./secrets/{secret}", source
            value = str(secrets_dir / secret)
        environment[name] = value
    return environment


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("job", [True, False], ids=["migrate", "serve"])
def test_each_service_is_given_every_setting_it_needs(
    compose: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    service: str,
    job: bool,
) -> None:
    make_secrets.make_secrets(tmp_path)
    container = compose["services"][f"migrate-{service}" if job else service]
    assert container["image"].startswith(f"thidua-{service}:")
    assert container.get("command", "python -m {service} serve").split()[-1] == (
        "migrate" if job else "serve"
    )
    environment = service_environment(container, example_environment(), tmp_path, compose)
    settings = settings_for(service, environment, monkeypatch)
    passwords = {
        "database": (tmp_path / f"database_{service}_password").read_text(encoding="utf-8"),
        "owner": (tmp_path / f"database_{service}_owner_password").read_text(encoding="utf-8"),
        "amqp": (tmp_path / f"amqp_{service}_password").read_text(encoding="utf-8"),
    }
    check_settings(settings, "migrate" if job else "serve", passwords)
    if not job:
        key = (tmp_path / "auth_signing_key").read_text(encoding="utf-8")
        assert settings.auth_signing_key == key


def test_no_credential_is_written_in_the_compose_file(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for variable, value in (service.get("environment") or {}).items():
            # Secrets come as files only (`*_FILE`, or the images' own POSTGRES_PASSWORD_FILE).
            assert not variable.endswith(("PASSWORD", "SIGNING_KEY")), (name, variable)
            assert not re.search(r"://[^/@:]+:[^/@]+@", str(value)), (name, variable, value)
    assert not (DEPLOY / "rabbitmq" / "definitions.json").exists()


def test_the_broker_loads_accounts_generated_from_the_secrets_before_it_starts(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    job = compose["services"]["rabbitmq-definitions"]
    broker = compose["services"]["rabbitmq"]
    assert broker["depends_on"]["rabbitmq-definitions"]["condition"] == (
        "service_completed_successfully"
    )
    secrets_dir, output = job["command"][-2:]
    assert secrets_dir == "/run/secrets"
    assert set(job["secrets"]) == {
        make_definitions.password_file(u) for u in make_definitions.USERS
    }
    # The job writes into the volume the broker mounts, at the path rabbitmq.conf loads.
    volume, _, written_at = next(
        v for v in job["volumes"] if v.endswith(":/definitions")
    ).partition(":")
    mounted = next(v for v in broker["volumes"] if v.startswith(f"{volume}:"))
    loaded_from = mounted.split(":")[1] + output.removeprefix(written_at)
    conf = (DEPLOY / "rabbitmq" / "rabbitmq.conf").read_text(encoding="utf-8")
    assert f"load_definitions = {loaded_from}" in conf

    make_secrets.make_secrets(tmp_path)
    make_definitions.main([str(tmp_path), str(tmp_path / "definitions.json")])
    users = json.loads((tmp_path / "definitions.json").read_text(encoding="utf-8"))["users"]
    assert {u["name"] for u in users} == set(make_definitions.USERS)
    for user in users:
        stored = user["password_hash"]
        salt = base64.b64decode(stored)[:4]
        password = (tmp_path / make_definitions.password_file(user["name"])).read_text()
        assert make_definitions.password_hash(password, salt) == stored, user["name"]
