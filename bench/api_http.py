"""HTTP/1.1 over raw asyncio streams for the API benchmark: keep-alive connections, any method,
headers and body per request, and the answer read back (status, headers, body), so a load
step can take the id and ETag a write returns. Costs the servers next to nothing."""

import asyncio
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    # perf_counter() when the last byte arrived, and time.time() at that moment.
    done: float
    done_wall: float


class HttpError(RuntimeError):
    pass


class Connection:
    """One keep-alive connection; one request at a time."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def send(self, request: Request) -> Answer:
        reused = self._writer is not None
        try:
            return await self._send(request)
        except (HttpError, ConnectionResetError, BrokenPipeError):
            # A kept-alive connection the server closed while idle (uvicorn's keep-alive
            # timeout), found closed or reset: the request never reached it, so it is sent
            # once more on a new one.
            if not reused:
                raise
            return await self._send(request)

    async def _send(self, request: Request) -> Answer:
        if self._writer is None or self._reader is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._reader, self._writer
        head = [f"{request.method} {request.path} HTTP/1.1", f"Host: {self.host}"]
        head += [f"{k}: {v}" for k, v in request.headers.items()]
        head.append(f"Content-Length: {len(request.body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + request.body)
        try:
            status_line = await reader.readline()
            if not status_line:
                raise HttpError("connection closed by the server")  # before answering
            headers: dict[str, str] = {}
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            if headers.get("transfer-encoding", "").lower() == "chunked":
                body = await _chunked(reader)
            else:
                body = await reader.readexactly(int(headers.get("content-length", "0")))
        except (OSError, asyncio.IncompleteReadError, HttpError):
            self.close()
            raise
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Answer(int(status_line.split()[1]), headers, body, time.perf_counter(), time.time())

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    for _ in range(1_000_000):
        size = int((await reader.readline()).split(b";")[0], 16)
        if size == 0:
            await reader.readline()
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readline()
    raise HttpError("too many chunks")


class Pool:
    """Idle connections to one address, opened on demand and kept for the next request."""

    def __init__(self, host: str, port: int, limit: int = 512) -> None:
        self.host, self.port, self.limit = host, port, limit
        self._idle: list[Connection] = []
        self._gate = asyncio.Semaphore(limit)

    async def send(self, request: Request) -> Answer:
        async with self._gate:
            connection = self._idle.pop() if self._idle else Connection(self.host, self.port)
            try:
                answer = await connection.send(request)
            except BaseException:
                connection.close()
                raise
            self._idle.append(connection)
            return answer

    def close(self) -> None:
        for connection in self._idle:
            connection.close()
        self._idle.clear()
