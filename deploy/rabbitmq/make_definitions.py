"""Writes definitions.json: the broker's users and permissions (no guest), from one table.

    python deploy/rabbitmq/make_definitions.py > deploy/rabbitmq/definitions.json

Passwords here are development defaults; change them in production with
`rabbitmqctl change_password <user> <password>` (or regenerate with THIDUA_AMQP_PASSWORD_<USER>).
"""

import base64
import hashlib
import json
import os
import secrets

EXCHANGE = "thidua.events"
SERVICES = ("campaigns", "pledges", "reports", "awards")
SHARED = (EXCHANGE, f"{EXCHANGE}.dlx", f"{EXCHANGE}.archive")


def _hash(password: str) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password))."""
    salt = secrets.token_bytes(4)
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def _escaped(name: str) -> str:
    return name.replace(".", r"\.")


def _names(*names: str) -> str:
    return "^(" + "|".join(_escaped(n) for n in names) + ")$"


def _user(name: str, tags: list[str]) -> dict[str, object]:
    password = os.environ.get(f"THIDUA_AMQP_PASSWORD_{name.upper()}", f"{name}-dev")
    return {
        "name": name,
        "password_hash": _hash(password),
        "hashing_algorithm": "rabbit_password_hashing_sha256",
        "tags": tags,
        "limits": {},
    }


def definitions() -> dict[str, object]:
    users = [_user("thidua-admin", ["administrator"]), _user("department", [])]
    users += [_user(service, []) for service in SERVICES]
    permissions = [
        {"user": "thidua-admin", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"},
        # Other departments: their own queues (named dept.*), bound to the events exchange,
        # and reading the archive stream to replay history; nothing else.
        {
            "user": "department",
            "vhost": "/",
            "configure": r"^dept\..*",
            "write": r"^dept\..*",
            "read": "^("
            + "|".join([_escaped(EXCHANGE), _escaped(f"{EXCHANGE}.archive"), r"dept\..*"])
            + ")$",
        },
    ]
    for service in SERVICES:
        own = (service, f"{service}.dlq")
        permissions.append(
            {
                "user": service,
                "vhost": "/",
                "configure": _names(*SHARED, *own),
                "write": _names(*SHARED, *own),
                "read": _names(EXCHANGE, f"{EXCHANGE}.dlx", *own),
            }
        )
    return {
        "rabbit_version": "3.13.0",
        "users": users,
        "vhosts": [{"name": "/"}],
        "permissions": permissions,
        "topic_permissions": [],
        "parameters": [],
        "policies": [],
        "queues": [],
        "exchanges": [],
        "bindings": [],
    }


if __name__ == "__main__":
    print(json.dumps(definitions(), indent=2))  # noqa: T201
