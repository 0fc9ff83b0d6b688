"""The office's cluster work: covenants drawn up for each cluster, and the cluster votes (bình xét, suy tôn) entered with their scores and ballots."""

from fastapi import APIRouter

router = APIRouter()
