"""The office's plan of a movement, drafted and edited in the console before its launch."""

from fastapi import APIRouter

router = APIRouter()
