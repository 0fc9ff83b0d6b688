"""A bare FastAPI route for the API benchmark's ratio, served with the services' uvicorn settings.

    python bench/bare_app.py <port>

`POST /bare/items` takes a JSON object and answers 201 with a small one: no token, database,
audit or idempotency, only what FastAPI and uvicorn cost per request.
"""

import sys
from typing import Any

import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.post("/bare/items", status_code=201)
async def create_item(body: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "keys": len(body)}


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


if __name__ == "__main__":
    # As `python -m <service> serve` runs uvicorn (thidua_shared.platform.cli).
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=False, log_level="warning")
