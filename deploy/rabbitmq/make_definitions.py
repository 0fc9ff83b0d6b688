"""Writes the broker's definitions (users and permissions, no guest) from a folder of passwords.

    python deploy/rabbitmq/make_definitions.py SECRETS_DIR OUTPUT

SECRETS_DIR holds `amqp_<user>_password` for every user below (`deploy/make_secrets.py` writes
them for development). Compose runs this as a one-shot job before RabbitMQ boots and loads the
result (`rabbitmq.conf`), so neither a password nor its hash is ever kept in the repository.
It uses the standard library only: the job runs it on a bare Python image.
"""

import base64
import hashlib
import json
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path

EXCHANGE = "thidua.events"
SERVICES = ("campaigns", "pledges", "reports", "awards")
SHARED = (EXCHANGE, f"{EXCHANGE}.dlx", f"{EXCHANGE}.archive")
ADMIN = "thidua-admin"
USERS = (ADMIN, "department", *SERVICES)


def password_file(user: str) -> str:
    return f"amqp_{user}_password"


def password_hash(password: str, salt: bytes | None = None) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password))."""
    salt = secrets.token_bytes(4) if salt is None else salt
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def _escaped(name: str) -> str:
    return name.replace(".", r"\.")


def _names(*names: str) -> str:
    return "^(" + "|".join(_escaped(n) for n in names) + ")$"


def read_passwords(folder: Path) -> dict[str, str]:
    passwords = {}
    for user in USERS:
        path = folder / password_file(user)
        if not path.is_file():
            raise SystemExit(f"no password for broker user {user}: {path} is missing")
        # The file's trailing newline is no part of the password (the services read it so too).
        passwords[user] = path.read_text(encoding="utf-8").rstrip("\r\n")
        if not passwords[user]:
            raise SystemExit(f"{path} is empty")
    return passwords


def definitions(passwords: Mapping[str, str]) -> dict[str, object]:
    users = [
        {
            "name": user,
            "password_hash": password_hash(passwords[user]),
            "hashing_algorithm": "rabbit_password_hashing_sha256",
            "tags": ["administrator"] if user == ADMIN else [],
            "limits": {},
        }
        for user in USERS
    ]
    permissions = [
        {"user": ADMIN, "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"},
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
        # Reading the archive lets a service replay it (`python -m <service> replay`) with its
        # own account; it shows nothing more than binding a queue to the exchange already does.
        permissions.append(
            {
                "user": service,
                "vhost": "/",
                "configure": _names(*SHARED, *own),
                "write": _names(*SHARED, *own),
                "read": _names(*SHARED, *own),
            }
        )
    return {
        "rabbit_version": "3.13.0",
        "users": users,
        # Every queue a service declares is a quorum queue; the vhost's default says so to
        # anyone else who declares one without saying.
        "vhosts": [{"name": "/", "metadata": {"default_queue_type": "quorum"}}],
        "permissions": permissions,
        "topic_permissions": [],
        "parameters": [],
        "policies": [],
        "queues": [],
        "exchanges": [],
        "bindings": [],
    }


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    folder, output = Path(argv[0]), Path(argv[1])
    text = json.dumps(definitions(read_passwords(folder)), indent=2) + "\n"
    # Written beside and renamed, so the broker never reads a half-written file.
    partial = output.with_name(output.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(output)


if __name__ == "__main__":
    main(sys.argv[1:])
