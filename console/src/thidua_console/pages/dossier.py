"""After the decision: the dossier to the higher level (tờ trình and its list), drafted, sent and its answer recorded; revocations; exemplars published."""

from fastapi import APIRouter

router = APIRouter()
