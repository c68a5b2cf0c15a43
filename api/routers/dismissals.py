"""Dismissals: anyone says a finding is not a problem; the head reviews them and promotes words to the dictionary."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, status
from fastapi.concurrency import run_in_threadpool

from mail_lint import team
from mail_lint.errors import UnusableInput

from ..auth import CurrentIdentity, HeadIdentity, may_read
from ..deps import StoreDep, TeachingSourceDep
from ..schemas import DismissalIn, DismissalOut, DismissalPageOut, ErrorOut, WordOut
from .dictionary import add
from .verdicts import MAX_ID, IsoDateTime

router = APIRouter(prefix="/v1/dismissals", tags=["dismissals"],
                   responses={400: {"model": ErrorOut, "description": "the body cannot be read"},
                              401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 422: {"model": ErrorOut}})


@router.post("", response_model=DismissalOut, status_code=status.HTTP_201_CREATED,
             responses={404: {"model": ErrorOut}})
async def dismiss(body: DismissalIn, identity: CurrentIdentity, store: StoreDep, source: TeachingSourceDep) -> Any:
    """Say a finding is not a problem (any token). A dismissed spelling is never flagged again in the
    caller's own checks; every dismissal is kept, with who and when, for the head to review."""
    if body.verdict_id is not None:
        row = await run_in_threadpool(store.get, body.verdict_id)
        if row is None or not may_read(identity, row["sender"]):
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no verdict {body.verdict_id}")
    try:
        recorded = await run_in_threadpool(
            lambda: team.dismiss(store, name=body.name, excerpt=body.excerpt, dismissed_by=identity.email,
                                 role=identity.role, verdict_id=body.verdict_id, reason=body.reason))
    except UnusableInput as e:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(e)) from None
    if recorded["personal"]:
        source.changed()
    return recorded


@router.get("", response_model=DismissalPageOut)
async def list_dismissals(
    identity: HeadIdentity, store: StoreDep,
    name: Annotated[str | None, Query(max_length=200, description="rule name or prefix: spelling, cta.buried")] = None,
    since: Annotated[IsoDateTime | None, Query(description="dismissed from (inclusive)")] = None,
    until: Annotated[IsoDateTime | None, Query(description="dismissed until (exclusive)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Any:
    """Every dismissal with its excerpt, who and when, newest first (head only)."""
    items = await run_in_threadpool(lambda: team.dismissals(store, name=name, since=_aware(since),
                                                            until=_aware(until), limit=limit, offset=offset))
    return {"items": items, "limit": limit, "offset": offset}


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


@router.post("/{dismissal_id}/promote", response_model=WordOut, status_code=status.HTTP_201_CREATED,
             responses={404: {"model": ErrorOut}})
async def promote(dismissal_id: Annotated[int, Path(ge=1, le=MAX_ID)], identity: HeadIdentity, store: StoreDep,
                  source: TeachingSourceDep) -> Any:
    """Put a dismissed word into the company dictionary (head only): then nobody's check flags it."""
    found = await run_in_threadpool(team.dismissal, store, dismissal_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no dismissal {dismissal_id}")
    entry, _ = await add(store, source, found["excerpt"], identity)
    return entry
