"""Starts a service's settings from an environment as a deployment gives it, and checks that
the process it runs would find everything it needs (what `serve` checks first, and more)."""

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

import pytest
from sqlalchemy.engine import make_url

from awards.config import Settings as AwardsSettings
from campaigns.config import Settings as CampaignsSettings
from pledges.config import Settings as PledgesSettings
from reports.config import Settings as ReportsSettings
from thidua_shared.platform.auth import TokenVerifier
from thidua_shared.platform.settings import ServiceSettings

SERVICES = ("campaigns", "pledges", "reports", "awards")
SETTINGS: dict[str, type[ServiceSettings]] = {
    "campaigns": CampaignsSettings,
    "pledges": PledgesSettings,
    "reports": ReportsSettings,
    "awards": AwardsSettings,
}
# What each kind of process reads: every one its database, the server and the relay the broker,
# the server tokens too. The scheduler publishes through the outbox, so needs no broker.
NEEDS_BROKER = {"serve", "relay"}
NEEDS_TOKENS = {"serve"}


def settings_for(
    service: str, environment: Mapping[str, str], monkeypatch: pytest.MonkeyPatch
) -> ServiceSettings:
    """The service's settings from exactly `environment` (the test's own is set aside)."""
    prefix = f"{service.upper()}_"
    for name in list(os.environ):
        if name.startswith(("THIDUA_", prefix)):
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return SETTINGS[service]()


def check_settings(settings: ServiceSettings, command: str, passwords: Mapping[str, str]) -> None:
    """`passwords`: the database (`database`, the owner's `owner`) and broker (`amqp`)
    passwords the process should end up with. Every process names the service's own role; a
    migrate job also the database's owner, with its password (docs/adr/0016)."""
    database = make_url(settings.resolved_database_url())
    assert database.database == f"thidua_{settings.service_name}"
    assert database.username == settings.service_name, "the service's own role"
    if command == "migrate":
        owner = make_url(settings.resolved_migration_database_url())
        assert owner.username == f"{settings.service_name}_owner", "the database's owner"
        assert owner.password == passwords["owner"], "the owner's password"
    else:
        assert database.password == passwords["database"], "database password"
    if command in NEEDS_BROKER:
        assert settings.amqp_url, "THIDUA_AMQP_URL"
        for url in settings.amqp_url.split(","):
            parts = urlsplit(url)
            assert parts.username == settings.service_name, url
            assert parts.password == passwords["amqp"], "broker password"
    if command in NEEDS_TOKENS:
        # Raises, as the service would at start, when neither a JWKS URL nor a key is given.
        TokenVerifier(settings.auth_config())
        # Raises, as an audited service would at start, when no audit key is mounted.
        assert settings.audit_chain_key(), "THIDUA_AUDIT_KEY_FILE"
