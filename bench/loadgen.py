"""A small HTTP/1.1 load generator on raw asyncio streams: keep-alive connections, a fixed
number of concurrent clients, next to no CPU of its own (httpx would cost more than the server)."""

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    started_at: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


async def _client(
    host: str, port: int, path: str, next_body: Callable[[], bytes | None], result: LoadResult
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while (body := next_body()) is not None:
            head = (
                f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            sent = time.perf_counter()
            writer.write(head + body)
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            result.latencies.append(time.perf_counter() - sent)
            if not status_line.startswith((b"HTTP/1.1 2", b"HTTP/1.0 2")):
                result.errors += 1
            result.requests += 1
    finally:
        writer.close()


async def post_many(
    host: str,
    port: int,
    path: str,
    total: int,
    concurrency: int,
    make_body: Callable[[int], dict[str, object]],
) -> LoadResult:
    counter = iter(range(total))

    def next_body() -> bytes | None:
        i = next(counter, None)
        return None if i is None else json.dumps(make_body(i)).encode()

    result = LoadResult(0, 0, 0.0, time.time(), [])
    start = time.perf_counter()
    await asyncio.gather(
        *(_client(host, port, path, next_body, result) for _ in range(concurrency))
    )
    result.seconds = time.perf_counter() - start
    return result
