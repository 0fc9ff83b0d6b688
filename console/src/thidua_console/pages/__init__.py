"""The screens, by role and stage of the year."""

from fastapi import APIRouter

from thidua_console.pages import awards, documents, office, public, reviews, unit

ROUTERS: tuple[APIRouter, ...] = (
    public.router,
    office.router,
    reviews.router,
    awards.router,
    unit.router,
    documents.router,
)
