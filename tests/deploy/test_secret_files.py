"""Secrets as files (`*_FILE`), as Docker and Kubernetes mount them."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.deploy.settings_check import settings_for


def secret(tmp_path: Path, name: str, value: str) -> str:
    path = tmp_path / name
    path.write_text(value, encoding="utf-8")
    return str(path)


def test_the_signing_key_and_urls_are_read_from_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(
        "pledges",
        {
            "THIDUA_AUTH_SIGNING_KEY_FILE": secret(tmp_path, "key", "a-long-key\n"),
            "THIDUA_AMQP_URL_FILE": secret(tmp_path, "amqp", "amqp://u:p@broker:5672/\n"),
            "PLEDGES_DATABASE_URL_FILE": secret(
                tmp_path, "db", "postgresql+asyncpg://u:p@db:5432/thidua_pledges"
            ),
        },
        monkeypatch,
    )
    assert settings.auth_signing_key == "a-long-key", "the trailing newline is no part of it"
    assert settings.amqp_url == "amqp://u:p@broker:5672/"
    assert settings.resolved_database_url() == "postgresql+asyncpg://u:p@db:5432/thidua_pledges"


def test_passwords_from_files_go_into_the_urls_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(
        "reports",
        {
            "THIDUA_AMQP_URL": "amqp://reports@rabbit-0:5672/,amqp://reports@rabbit-1:5672/",
            "THIDUA_AMQP_PASSWORD_FILE": secret(tmp_path, "amqp", "p@ss/word"),
            "THIDUA_DATABASE_URL_FILE": secret(tmp_path, "db", "postgresql+asyncpg://thidua@db/x"),
            "THIDUA_DATABASE_PASSWORD_FILE": secret(tmp_path, "dbpw", "s3cr:t@\n"),
        },
        monkeypatch,
    )
    assert settings.amqp_url == (
        "amqp://reports:p%40ss%2Fword@rabbit-0:5672/,amqp://reports:p%40ss%2Fword@rabbit-1:5672/"
    )
    assert settings.resolved_database_url() == (
        "postgresql+asyncpg://thidua:s3cr%3At%40@db/thidua_reports"
    )


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"THIDUA_AUTH_SIGNING_KEY": "k", "THIDUA_AUTH_SIGNING_KEY_FILE": "{dir}/key"},
            "set THIDUA_AUTH_SIGNING_KEY or THIDUA_AUTH_SIGNING_KEY_FILE, not both",
        ),
        ({"THIDUA_AUTH_SIGNING_KEY_FILE": "{dir}/missing"}, "cannot read"),
        ({"THIDUA_AUTH_SIGNING_KEY_FILE": "{dir}/empty"}, "is empty"),
        ({"THIDUA_AMQP_PASSWORD_FILE": "{dir}/key"}, "needs THIDUA_AMQP_URL"),
        (
            {"THIDUA_AMQP_URL": "amqp://u:p@broker/", "THIDUA_AMQP_PASSWORD_FILE": "{dir}/key"},
            "with a user and no password",
        ),
        (
            {
                "THIDUA_DATABASE_URL": "postgresql+asyncpg://u:p@db/x",
                "THIDUA_DATABASE_PASSWORD_FILE": "{dir}/key",
            },
            "with a user and no password",
        ),
        (
            {"THIDUA_DATABASE_PASSWORD_FILE": "{dir}/key"},
            "needs AWARDS_DATABASE_URL or THIDUA_DATABASE_URL",
        ),
    ],
)
def test_a_secret_file_that_cannot_be_used_stops_the_start_and_says_why(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    message: str,
) -> None:
    secret(tmp_path, "key", "value")
    secret(tmp_path, "empty", "\n")
    filled = {name: value.format(dir=tmp_path) for name, value in environment.items()}
    with pytest.raises(ValidationError, match=message):
        settings_for("awards", filled, monkeypatch)
