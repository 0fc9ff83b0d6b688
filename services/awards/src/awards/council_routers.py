"""The routers of the council stage, in the order they appear in the API docs."""

from awards import council_api, decisions_api, disclosure_api, exemplars_api, voting_api

COUNCIL_ROUTERS = [
    voting_api.router,
    council_api.router,
    disclosure_api.router,
    decisions_api.router,
    exemplars_api.router,
    disclosure_api.public_router,
    decisions_api.public_router,
    exemplars_api.public_router,
]
