"""Test-only fault points: windows too short to hit from outside, reached on purpose.

`THIDUA_FAULT_POINTS=compile.before_commit,relay.mid_batch` arms the named points in one process.
When the process reaches an armed point it appends one line, `<point> <pid>`, to the file named
by `THIDUA_FAULT_REPORT` (so the test knows the window was hit) and kills itself with SIGKILL,
as a crash, a power cut or an OOM kill would. Unset, `hit()` is a set lookup and nothing else.
"""

import os
import signal

ENV_POINTS = "THIDUA_FAULT_POINTS"
ENV_REPORT = "THIDUA_FAULT_REPORT"

_armed = frozenset(p.strip() for p in os.environ.get(ENV_POINTS, "").split(",") if p.strip())


def hit(point: str) -> None:
    """Dies here if `point` is armed in this process."""
    if point not in _armed:
        return
    report = os.environ.get(ENV_REPORT)
    if report:
        # One small O_APPEND write: lines from several processes never interleave.
        line = f"{point} {os.getpid()}\n".encode()
        descriptor = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, line)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    os.kill(os.getpid(), signal.SIGKILL)
