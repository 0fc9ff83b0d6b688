"""The screens, by role and stage of the year."""

from fastapi import APIRouter

from thidua_console.pages import (
    awards,
    documents,
    dossier,
    office,
    plan,
    public,
    reviews,
    unit,
    votes,
)

ROUTERS: tuple[APIRouter, ...] = (
    public.router,
    office.router,
    plan.router,
    reviews.router,
    awards.router,
    votes.router,
    dossier.router,
    unit.router,
    documents.router,
)
