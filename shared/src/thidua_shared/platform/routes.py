"""The API routes of an app, flattened from its included routers, and the one a request is for.

FastAPI includes routers lazily: `app.routes` holds the included routers, not their routes.
The OpenAPI finisher and the kit's middlewares need each route's full path, methods,
dependencies and models, which its route context gives.
"""

import re
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, routing
from starlette.routing import compile_path
from starlette.types import Scope


@dataclass(frozen=True)
class KnownRoute:
    pattern: re.Pattern[str]
    methods: frozenset[str]
    route: Any  # the route context: path_format, name, dependant, response_model, body_field


def api_routes(app: FastAPI) -> list[Any]:
    return [
        context
        for context in routing.iter_route_contexts(app.routes)
        if isinstance(context.original_route, routing.APIRoute)
    ]


def _table(app: FastAPI) -> list[KnownRoute]:
    table: list[KnownRoute] | None = getattr(app.state, "known_routes", None)
    if table is None:
        table = [
            KnownRoute(compile_path(r.path_format)[0], frozenset(r.methods or ()), r)
            for r in api_routes(app)
        ]
        app.state.known_routes = table
    return table


def route_of(scope: Scope) -> Any | None:
    """The route context a request is for, or None (a 404 or 405 to be)."""
    for known in _table(scope["app"]):
        if scope["method"] in known.methods and known.pattern.match(scope["path"]):
            return known.route
    return None
