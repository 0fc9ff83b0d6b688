"""RabbitMQ nodes of our own, for tests that stop, restart or lose the broker.

The machine's default node (port 5672) is shared and never touched: each node here has its own
name (`thidua-faults-<random>@localhost`), free AMQP and distribution ports, and its data, logs
and configuration under a temporary folder. Run as root, the node runs as the `rabbitmq` user
(the server refuses nothing as root, but a node's files must not end up root-owned next to the
packaged ones), so that folder is handed to that user. Every node started here is stopped when
the test session ends, and at interpreter exit if the session never got that far.
"""

import atexit
import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.processes import free_port

SCRIPTS = Path("/usr/lib/rabbitmq/bin")
SERVICE_USER = "rabbitmq"
START_TIMEOUT = 90.0


def _script(name: str) -> str:
    packaged = SCRIPTS / name
    if packaged.exists():
        return str(packaged)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(
            f"{name} is not installed: the fault tests run RabbitMQ nodes of their own "
            "(Debian: apt-get install rabbitmq-server)"
        )
    return found


def _service_account() -> pwd.struct_passwd | None:
    """The account nodes run as: `rabbitmq` when we are root, else whoever we are."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        raise RuntimeError(
            f"no {SERVICE_USER} user: install rabbitmq-server from the distribution's package"
        ) from None


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class RabbitNode:
    """One node: `start()`, `stop()`, `restart()`; `url` for clients."""

    name: str
    amqp_port: int
    dist_port: int
    folder: Path
    home: Path
    account: pwd.struct_passwd | None
    start_seconds: list[float] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.amqp_port}/"

    @property
    def running(self) -> bool:
        return _listening(self.amqp_port)

    def _env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
            "LC_ALL": "C.UTF-8",
            # The cookie is in this HOME: our nodes and our CLI calls share it, nobody else.
            "HOME": str(self.home),
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.amqp_port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.folder / "log"),
            "RABBITMQ_CONFIG_FILE": str(self.folder / "node"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(self.folder / "advanced.config"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.folder / "enabled_plugins"),
            "RABBITMQ_PID_FILE": str(self.folder / "pid"),
            # Our own (empty) env file: the system's names the default node.
            "RABBITMQ_CONF_ENV_FILE": str(self.folder / "rabbitmq-env.conf"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        }

    def _as_account(self) -> dict[str, Any]:
        if self.account is None:
            return {}
        return {"user": self.account.pw_uid, "group": self.account.pw_gid, "extra_groups": []}

    def _run(
        self, script: str, *args: str, timeout: float = 60, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        completed = subprocess.run(
            [_script(script), *args],
            env=self._env(),
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **self._as_account(),
        )
        if check and completed.returncode != 0:
            raise RuntimeError(
                f"{script} {' '.join(args)} on {self.name} failed ({completed.returncode}): "
                f"{completed.stdout}{completed.stderr}{self.log_tail()}"
            )
        return completed

    def _launch(self) -> None:
        # Not through `_run`: the detached VM inherits the output, and a pipe would never close.
        with (self.folder / "log" / "startup.out").open("ab") as output:
            subprocess.run(
                [_script("rabbitmq-server"), "-detached"],
                env=self._env(),
                cwd=self.folder,
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=60,
                check=True,
                **self._as_account(),
            )

    def ctl(self, *args: str, timeout: float = 60) -> str:
        return self._run("rabbitmqctl", "-n", self.name, *args, timeout=timeout).stdout

    def log_tail(self, lines: int = 30) -> str:
        logs = sorted((self.folder / "log").glob("*.log"))
        tails = [
            f"\n--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
            for log in logs
        ]
        return "".join(tails)

    def start(self) -> float:
        """Starts the node and waits until it serves AMQP; returns the seconds it took."""
        began = time.monotonic()
        self._launch()
        # `rabbitmqctl await_startup` fails at once until the node has registered with epmd,
        # and each call starts a whole Erlang VM: the AMQP port is a cheaper thing to poll.
        # The listener opens last in the boot, so once it answers the node is up.
        deadline = began + START_TIMEOUT
        while not self.running:
            if time.monotonic() > deadline or self._died():
                raise RuntimeError(f"{self.name} did not start{self.log_tail()}")
            time.sleep(0.1)
        self.ctl("await_startup", "--timeout", str(int(START_TIMEOUT)))
        took = time.monotonic() - began
        self.start_seconds.append(took)
        return took

    def _died(self) -> bool:
        """The VM wrote its pid and is gone (a bad configuration or folder: it dies silently)."""
        try:
            os.kill(int((self.folder / "pid").read_text().strip()), 0)
        except (FileNotFoundError, ValueError):
            return False
        except ProcessLookupError:
            return True
        return False

    def stop(self) -> None:
        """Stops the node cleanly and waits for its Erlang VM to exit."""
        if not (self.folder / "pid").exists() and not self.running:
            return
        # Given the pid file, `stop` returns once the operating system process has gone.
        self._run("rabbitmqctl", "-n", self.name, "stop", str(self.folder / "pid"), check=False)
        self._kill_if_left()

    def _kill_if_left(self) -> None:
        """A node that would not stop (or whose stop command failed) is killed outright."""
        pid_file = self.folder / "pid"
        with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError):
            pid = int(pid_file.read_text().strip())
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.1)
            os.kill(pid, 9)
        pid_file.unlink(missing_ok=True)

    def restart(self, down_seconds: float = 3.0) -> float:
        self.stop()
        time.sleep(down_seconds)
        return self.start()

    def join(self, seed: "RabbitNode") -> None:
        """Makes this (running, empty) node a member of `seed`'s cluster."""
        self.ctl("stop_app")
        self.ctl("join_cluster", seed.name)
        self.ctl("start_app")
        self.ctl("await_startup", "--timeout", str(int(START_TIMEOUT)))


class NodeFactory:
    """Makes nodes under one temporary folder and stops every one of them at `close()`."""

    def __init__(self) -> None:
        self.account = _service_account()
        _script("rabbitmq-server")
        self.root = Path(tempfile.mkdtemp(prefix="thidua-rabbit-"))
        # The node drops to its account: every folder on the way must be searchable by it.
        self.root.chmod(0o755)
        self.home = self._folder("home")
        cookie = self.home / ".erlang.cookie"
        cookie.write_text(secrets.token_hex(20).upper())
        cookie.chmod(0o400)
        self._own(cookie)
        self.nodes: list[RabbitNode] = []
        atexit.register(self.close)

    def _own(self, path: Path) -> None:
        if self.account is not None:
            os.chown(path, self.account.pw_uid, self.account.pw_gid)

    def _folder(self, name: str) -> Path:
        path = self.root / name
        path.mkdir(mode=0o755)
        self._own(path)
        return path

    def node(self) -> RabbitNode:
        name = f"thidua-faults-{secrets.token_hex(4)}"
        folder = self._folder(name)
        amqp_port = free_port()
        node = RabbitNode(
            name=f"{name}@localhost",
            amqp_port=amqp_port,
            dist_port=free_port(),
            folder=folder,
            home=self.home,
            account=self.account,
        )
        files = {
            "node.conf": f"listeners.tcp.1 = 127.0.0.1:{amqp_port}\nloopback_users.guest = true\n",
            "enabled_plugins": "[].\n",
            "rabbitmq-env.conf": "",
        }
        for file_name, content in files.items():
            (folder / file_name).write_text(content)
            self._own(folder / file_name)
        for sub in ("mnesia", "log"):
            self._folder(f"{name}/{sub}")
        self.nodes.append(node)
        return node

    def cluster(self, size: int = 3) -> list[RabbitNode]:
        """`size` started nodes in one cluster, the first being the one the others joined."""
        nodes = [self.node() for _ in range(size)]
        # Booting is mostly waiting on each VM: side by side it takes little longer than one.
        with ThreadPoolExecutor(size) as pool:
            list(pool.map(RabbitNode.start, nodes))
        for node in nodes[1:]:
            node.join(nodes[0])
        return nodes

    def close(self) -> None:
        for node in self.nodes:
            node.stop()
        self.nodes.clear()
        shutil.rmtree(self.root, ignore_errors=True)
        atexit.unregister(self.close)


@contextlib.contextmanager
def rabbit_nodes() -> Iterator[NodeFactory]:
    factory = NodeFactory()
    try:
        yield factory
    finally:
        factory.close()


def urls(nodes: Sequence[RabbitNode]) -> str:
    """The comma-separated node list services take as THIDUA_AMQP_URL."""
    return ",".join(node.url for node in nodes)
