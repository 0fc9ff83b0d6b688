"""The all-in-one mode's data folder (`thidua up --data-dir`, `.thidua` by default), as every
command finds it: the development token key, and the embedded PostgreSQL while it runs.

The embedded server listens on a Unix socket in its data folder only; its `postmaster.pid`
says where. A service's own commands (`python -m campaigns audit-verify --data-dir .thidua`)
reach the running system's databases through it.
"""

import secrets
from pathlib import Path

DEFAULT_DATA_DIR = ".thidua"
# The embedded server's superuser: the databases' owner, which runs the migrations. Each service
# connects as a role of its own, named after it (docs/adr/0016).
EMBEDDED_OWNER = "postgres"


def development_signing_key(data_dir: Path) -> str:
    """The all-in-one mode's token key, made once and kept beside its data (never for
    production: there, point THIDUA_AUTH_JWKS_URL at the identity provider)."""
    path = data_dir / "dev-signing-key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def development_audit_key(data_dir: Path) -> str:
    """The all-in-one mode's audit chain key, made once and kept beside its data, outside the
    database (in production it comes from THIDUA_AUDIT_KEY_FILE)."""
    path = data_dir / "dev-audit-key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def audit_checkpoint_dir(data_dir: Path) -> Path:
    """Where the all-in-one mode also writes its audit checkpoints."""
    return data_dir / "audit-checkpoints"


def embedded_database_url(data_dir: Path, role: str = EMBEDDED_OWNER) -> str | None:
    """The running embedded server's URL (database `postgres`) for `role`, or None when none
    runs there.

    `postmaster.pid` lines: pid, data folder, start time, port, socket folder, …
    """
    pid_file = data_dir / "pgdata" / "postmaster.pid"
    try:
        lines = pid_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    if len(lines) < 5 or not lines[3].strip().isdigit() or not lines[4].strip():
        return None
    port, socket_dir = lines[3].strip(), lines[4].strip()
    return f"postgresql+asyncpg://{role}@/postgres?host={socket_dir}&port={port}"
