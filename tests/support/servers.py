"""Start the local PostgreSQL and RabbitMQ where installed but stopped; fail loudly if missing."""

import glob
import os
import shutil
import socket
import subprocess
import time

import pytest


def _reachable(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait(port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _reachable(port):
            return True
        time.sleep(0.5)
    return False


def _start_postgres() -> None:
    clusters = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not clusters or not shutil.which("pg_ctlcluster"):
        pytest.exit(
            "PostgreSQL is not running on 127.0.0.1:5432 and is not installed. Install it "
            "(Debian: apt-get install postgresql) or set THIDUA_TEST_DATABASE_URL.",
            returncode=3,
        )
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", clusters[-1], "main", "start"], check=False
    )
    if not _wait(5432, 30):
        pytest.exit("PostgreSQL was started but does not answer on 127.0.0.1:5432.", returncode=3)


def _start_rabbitmq() -> None:
    server = shutil.which("rabbitmq-server") or next(
        iter(glob.glob("/usr/sbin/rabbitmq-server")), None
    )
    if not server:
        pytest.exit(
            "RabbitMQ is not running on 127.0.0.1:5672 and is not installed. Install it "
            "(Debian: apt-get install rabbitmq-server) or set THIDUA_TEST_AMQP_URL.",
            returncode=3,
        )
    subprocess.run([server, "-detached"], check=False)
    if not _wait(5672, 90):
        pytest.exit("RabbitMQ was started but does not answer on 127.0.0.1:5672.", returncode=3)


def ensure_servers() -> None:
    if "THIDUA_TEST_DATABASE_URL" not in os.environ and not _reachable(5432):
        _start_postgres()
    if "THIDUA_TEST_AMQP_URL" not in os.environ and not _reachable(5672):
        _start_rabbitmq()
