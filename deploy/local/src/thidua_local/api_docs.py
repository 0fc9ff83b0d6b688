"""The four APIs documented as one, under /api/: the index, the merged OpenAPI document and
Swagger UI for it. The Python gateway builds them per request; nginx, which cannot merge,
serves the copies `thidua api-docs` writes into deploy/nginx/api/ (kept current by a test).

The root stays free for the web console; the old /openapi.json and /docs redirect here for a
release (deprecated).
"""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import HTMLResponse

from thidua_shared.platform.openapi import merge_openapi

API_INDEX = "/api/"
MERGED_OPENAPI = "/api/openapi.json"
MERGED_DOCS = "/api/docs"
# Where they were before /api/, answered with a permanent redirect that keeps the method.
DEPRECATED_PATHS = {"/openapi.json": MERGED_OPENAPI, "/docs": MERGED_DOCS}
REDIRECTS = {**DEPRECATED_PATHS, "/api": API_INDEX}
# Swagger UI's scripts as the campaigns service serves them, so the page works offline.
DOCS_ASSETS = "/campaigns/docs/assets"
PUBLISHED_OPENAPI = "openapi.json"
PUBLISHED_DOCS = "docs.html"


def api_index(services: Iterable[str]) -> dict[str, object]:
    return {
        "name": "thidua",
        "openapi": MERGED_OPENAPI,
        "docs": MERGED_DOCS,
        "apis": {
            name: {"docs": f"/{name}/docs", "openapi": f"/{name}/openapi.json"} for name in services
        },
    }


def swagger_page() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=MERGED_OPENAPI,
        title="thidua API",
        swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
    )


def merged_openapi() -> dict[str, Any]:
    """The four services' documents merged, built from their apps alone: no database, broker
    or settings file is read (a document does not depend on the settings)."""
    from thidua_local.allinone import SPECS
    from thidua_shared.platform.app import create_service_app

    return merge_openapi({spec.name: create_service_app(spec).openapi() for spec in SPECS})


def published_files() -> dict[str, str]:
    """What nginx serves under /api/, by file name, exactly as `thidua api-docs` writes it."""
    return {
        PUBLISHED_OPENAPI: json.dumps(merged_openapi(), ensure_ascii=False, indent=2) + "\n",
        PUBLISHED_DOCS: bytes(swagger_page().body).decode("utf-8"),
    }


def write_published_files(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in published_files().items():
        path = folder / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
