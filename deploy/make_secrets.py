"""Generates the development secrets that compose and the Kubernetes dev overlay read.

    uv run python deploy/make_secrets.py            # into deploy/secrets/ (git-ignored)
    uv run python deploy/make_secrets.py --dir DIR

One file per secret, holding the value alone: the token signing key, the PostgreSQL password
(compose's server user), a password for each service's database role and for the role that
owns its database and runs its migrations, and a password per broker user. A file that exists
is kept, so running it again never changes the password of a database or broker that already
holds data; delete a file to replace it.
"""

import argparse
import os
import secrets
from pathlib import Path

SERVICES = ("campaigns", "pledges", "reports", "awards")
BROKER_USERS = ("thidua-admin", "department", *SERVICES)
DEFAULT_DIR = Path(__file__).resolve().parent / "secrets"


def secret_names() -> list[str]:
    return [
        "auth_signing_key",
        "audit_key",
        # Signs the web console's session cookie.
        "console_session_key",
        "postgres_password",
        *(f"database_{service}_password" for service in SERVICES),
        *(f"database_{service}_owner_password" for service in SERVICES),
        *(f"amqp_{user}_password" for user in BROKER_USERS),
    ]


def make_secrets(folder: Path) -> list[str]:
    """Writes the secrets missing from `folder`; returns the names written."""
    # Only the owner may list or enter the folder. The files themselves stay readable by
    # anyone: compose mounts them as they are, and the containers read them as their own
    # users (postgres, rabbitmq, thidua), whose ids are not the owner's.
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    written = []
    for name in secret_names():
        path = folder / name
        if path.exists():
            continue
        # URL-safe, so a password also reads unchanged inside a connection URL; no trailing
        # newline, since Kubernetes Secrets made from these files keep every byte.
        path.write_text(secrets.token_urlsafe(48 if name.endswith("_key") else 24))
        path.chmod(0o644)
        written.append(name)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where to write them")
    args = parser.parse_args()
    written = make_secrets(args.dir)
    kept = len(secret_names()) - len(written)
    print(f"{args.dir}: {len(written)} secrets written, {kept} kept")  # noqa: T201


if __name__ == "__main__":
    main()
