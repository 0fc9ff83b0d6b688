"""The OpenAPI document every service publishes, finished from what FastAPI generates.

FastAPI's own document knows nothing of the kit's conventions, so integrators generating a
client from it got no security scheme, FastAPI's `{detail: [...]}` instead of the problem
details every error really is, operationIds like `list_campaigns_campaigns_campaigns_get` and
two schemas titled `UnitRead`. This module adds what the kit does for every route:

- the bearer token (OIDC) as the security scheme, on every route that is not PUBLIC;
- every error status a route can answer, as `application/problem+json` of one `Problem` schema;
- operationIds `<service>.<route name>`, stable while the function keeps its name;
- a description for every operation and an example for every request body, read from
  openapi_texts/<service>.yaml (and common.yaml for the kit's own routes), keyed by operationId;
- one schema name per schema, and binary content for files;
- `limit`/`offset` on every list the pagination middleware pages (pagination.py).
"""

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from thidua_shared.platform.errors import PROBLEM_JSON
from thidua_shared.platform.pagination import PAGE_PARAMETERS, pages_of
from thidua_shared.platform.routes import api_routes

SECURITY_SCHEME = "bearer"
# Each status a route may answer with a problem, and the kind of route that may.
ERROR_RESPONSES = {
    "400": "Bad request: a header or value the API cannot read.",
    "401": "No bearer token, or one that was refused (expired, wrong issuer or audience).",
    "403": "The token's role, or its unit, may not do this.",
    "404": "No such resource.",
    "409": "The resource's state does not allow this (e.g. a campaign already launched).",
    "412": "If-Match names a version that is not the current one: read the resource again.",
    "413": "The file is larger than the route's limit, or expands beyond it.",
    "415": "The request's Content-Type is not one this operation accepts.",
    "422": "A value is invalid; `field` names it and `errors` lists every one.",
    "428": "If-Match is required: send the ETag you read.",
    "429": "Too many requests from this client; `Retry-After` says when to try again.",
    "503": "The service cannot answer now (its database is unreachable); try again.",
}
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details. `code` is stable, for a client to show the "
    "problem in its own language; `detail` is a human-readable English sentence.",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string", "example": "urn:thidua:problem:not-found"},
        "title": {"type": "string", "example": "Not found"},
        "status": {"type": "integer", "example": 404},
        "code": {"type": "string", "example": "not-found"},
        "detail": {"type": "string", "example": "No campaign 9b2f…"},
        "instance": {"type": "string", "example": "/campaigns/campaigns/9b2f…"},
        "field": {"type": "string", "description": "The field, parameter or header at fault."},
        "errors": {
            "type": "array",
            "description": "Every invalid value (422).",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "in": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
        "current_etag": {"type": "string", "description": "The current version (412)."},
    },
}
_FILE_SCHEMA = {"type": "string", "format": "binary"}
# Package data, so that an installed service (a wheel in a container image) has them too.
_DOCS = Path(__file__).with_name("openapi_texts")


@cache
def operation_texts(service: str) -> dict[str, dict[str, Any]]:
    """openapi_texts/<service>.yaml merged over common.yaml, keyed by operationId."""
    texts: dict[str, dict[str, Any]] = {}
    for verb_noun, text in _read(_DOCS / "common.yaml").items():
        texts[f"{service}.{verb_noun}"] = text
    texts.update(_read(_DOCS / f"{service}.yaml"))
    return texts


def _read(path: Path) -> dict[str, dict[str, Any]]:
    # An image built without docs/ still serves its document, only without these texts.
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _headers(dependant: Dependant) -> set[str]:
    found = {p.alias.lower() for p in dependant.header_params}
    for sub in dependant.dependencies:
        found |= _headers(sub)
    return found


def _is_public(route: Any) -> bool:
    rules = [c for c in _calls(route.dependant) if hasattr(c, "access_roles")]
    return not rules or all(c.access_roles is None for c in rules)


def _error_statuses(route: Any, method: str, operation: dict[str, Any]) -> list[str]:
    statuses = ["400", "422", "503"]
    public = _is_public(route)
    if not public:
        statuses += ["401", "403"]
    if "{" in route.path:
        statuses.append("404")
    if method != "get":
        statuses.append("409")
    headers = _headers(route.dependant)
    if "if-match" in headers or method in ("put", "patch"):
        statuses.append("412")
    if method in ("put", "patch"):
        statuses.append("428")
    if "requestBody" in operation:
        statuses += ["413", "415"]
    if public and method == "post":
        statuses.append("429")
    return sorted(set(statuses))


def _response_name(status: str) -> str:
    return f"Problem{status}"


def _finish_operation(service: str, route: Any, method: str, operation: dict[str, Any]) -> None:
    operation_id = f"{service}.{route.name}"
    operation["operationId"] = operation_id
    text = operation_texts(service).get(operation_id, {})
    if text.get("description"):
        operation["description"] = text["description"].strip()
    if _is_public(route):
        operation["security"] = []
    responses = operation.setdefault("responses", {})
    responses.pop("422", None)
    for status in _error_statuses(route, method, operation):
        responses[status] = {"$ref": f"#/components/responses/{_response_name(status)}"}
    if method == "get" and "{" in route.path:
        responses["304"] = {"description": "Not modified: If-None-Match names the current ETag."}
    for status, response in responses.items():
        for media_type, content in (response.get("content") or {}).items():
            if content.get("schema") in (None, {}):
                content["schema"] = {"type": "object"} if "json" in media_type else _FILE_SCHEMA
        if (
            status.startswith("2")
            and not response.get("content")
            and route.path.endswith("/metrics")
        ):
            response["content"] = {"text/plain": {"schema": {"type": "string"}}}
    body = operation.get("requestBody")
    if body is not None:
        for media_type, content in body.get("content", {}).items():
            if "example" in text and "json" in media_type:
                content["example"] = text["example"]
            elif "json" not in media_type:
                content.setdefault("example", text.get("file_example", ""))
    if pages_of(route) == "list":
        operation.setdefault("parameters", []).extend(PAGE_PARAMETERS)


_TAIL = re.compile(r"_?schemas?$")


def _schema_names(schemas: dict[str, Any]) -> dict[str, str]:
    """Component keys FastAPI made unique with module paths (campaigns__schemas__UnitRead),
    renamed for their module (DirectoryUnitRead), so that no two schemas share a title."""
    renamed: dict[str, str] = {}
    taken = {key for key in schemas if "__" not in key}
    for key in sorted(schemas):
        if "__" not in key:
            continue
        *modules, title = key.split("__")
        tail = _TAIL.sub("", modules[-1]) if modules else ""
        name = "".join(part.capitalize() for part in tail.split("_")) + title
        if name in taken:
            name = "".join(m.capitalize() for m in modules) + title
        taken.add(name)
        renamed[key] = name
    return renamed


def _rename_refs(node: Any, renamed: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {k: _rename_refs(v, renamed) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            key = ref.removeprefix("#/components/schemas/")
            out["$ref"] = f"#/components/schemas/{renamed.get(key, key)}"
        return out
    if isinstance(node, list):
        return [_rename_refs(v, renamed) for v in node]
    return node


def _components(document: dict[str, Any]) -> None:
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for fastapi_own in ("HTTPValidationError", "ValidationError"):
        schemas.pop(fastapi_own, None)
    renamed = _schema_names(schemas)
    for key, name in renamed.items():
        schemas[name] = schemas.pop(key)
    for name, schema in schemas.items():
        schema["title"] = name
    schemas["Problem"] = PROBLEM_SCHEMA
    used = json.dumps(document["paths"])
    components["responses"] = {
        _response_name(status): {
            "description": description,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status, description in ERROR_RESPONSES.items()
        if f"/responses/{_response_name(status)}" in used
    }
    components["securitySchemes"] = {
        SECURITY_SCHEME: {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "An access token from the agency's OpenID Connect provider "
            "(THIDUA_AUTH_ISSUER), with the `role` claim and, for a unit head, `unit`.",
        }
    }
    document["paths"] = _rename_refs(document["paths"], renamed)
    components["schemas"] = _rename_refs(schemas, renamed)


def build_openapi(app: FastAPI, service: str) -> dict[str, Any]:
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    document["security"] = [{SECURITY_SCHEME: []}]
    document["servers"] = [{"url": "/", "description": "The gateway, or the service itself."}]
    document["info"]["license"] = {"name": "Proprietary, for the agency's own use"}
    routes = {
        (route.path_format, method.lower()): route
        for route in api_routes(app)
        for method in route.methods
    }
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            _finish_operation(service, routes[(path, method)], method, operation)
    _components(document)
    return document


def install_openapi(app: FastAPI, service: str) -> None:
    """The finished document at /<service>/openapi.json, and Swagger UI at /<service>/docs
    with its scripts served by the service itself, so the docs work offline."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app, service)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    assets = f"/{service}/docs/assets"
    app.mount(assets, StaticFiles(directory=swagger_ui_path), name=f"{service}-docs-assets")

    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"/{service}/openapi.json",
            title=f"{app.title} API",
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon-32x32.png",
        )

    app.add_api_route(f"/{service}/docs", swagger_ui, include_in_schema=False)


def merge_openapi(documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The services' documents as one, as the gateway serves it: every path once (each is
    under its service's prefix), schemas named `<service>.<Schema>` so that two services'
    schemas of one name stay apart, the problem responses and the security scheme shared."""
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "thidua",
            "version": "0.1.0",
            "description": "Thi đua – khen thưởng (emulation and commendation): the four "
            "services' APIs behind one gateway.",
            "license": {"name": "Proprietary, for the agency's own use"},
        },
        "servers": [{"url": "/", "description": "The gateway."}],
        "security": [{SECURITY_SCHEME: []}],
        "paths": {},
        "components": {"schemas": {"Problem": PROBLEM_SCHEMA}, "responses": {}},
        "tags": [],
    }
    for service, document in documents.items():
        components = document.get("components", {})
        renamed = {
            name: f"{service}.{name}" for name in components.get("schemas", {}) if name != "Problem"
        }
        rewritten = _rename_refs(
            {"paths": document["paths"], "schemas": components.get("schemas", {})}, renamed
        )
        for path, item in rewritten["paths"].items():
            merged["paths"].setdefault(path, item)
        for name, schema in rewritten["schemas"].items():
            if name != "Problem":
                merged["components"]["schemas"][renamed[name]] = {**schema, "title": renamed[name]}
        merged["components"]["responses"].update(components.get("responses", {}))
        merged["components"].update({"securitySchemes": components.get("securitySchemes", {})})
        known_tags = {tag["name"] for tag in merged["tags"]}
        merged["tags"] += [t for t in document.get("tags", []) if t["name"] not in known_tags]
    if not merged["tags"]:
        del merged["tags"]
    return merged
