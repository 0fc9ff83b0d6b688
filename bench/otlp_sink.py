"""A local OTLP/HTTP trace sink for benchmarks: accepts every export and counts its bytes, so
that the services' span export is measured without a collector.

    uv run python bench/otlp_sink.py --port 4318 &
    THIDUA_LOG_FORMAT=json OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 \\
        uv run python bench/api.py --units 100

Prints the exports and bytes received when stopped (SIGINT or SIGTERM).
"""

import argparse
import contextlib
import signal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType


class Sink(BaseHTTPRequestHandler):
    exports = 0
    received = 0

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        Sink.received += len(self.rfile.read(length))
        Sink.exports += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=4318)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Sink)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    print(f"otlp sink: {Sink.exports} exports, {Sink.received} bytes")


if __name__ == "__main__":
    main()
