"""Stored verdicts: a filtered listing and one verdict by id (JSON or annotated HTML)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from pydantic import BeforeValidator

from mail_lint.annotate import render_page
from mail_lint.links import HEAD_READER, link_secret, valid
from ..auth import CurrentIdentity, may_read
from ..deps import ConfigDep, StoreDep
from ..negotiate import FormatQuery, LangQuery, wants_html
from ..schemas import ErrorOut, StoredVerdictOut, VerdictPageOut

router = APIRouter(prefix="/v1/verdicts", tags=["verdicts"],
                   responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 422: {"model": ErrorOut}})



def _iso_only(value: Any) -> Any:
    """ISO 8601 dates and date-times only; pydantic alone would also take Unix timestamps like 0.5."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("not an ISO 8601 date or date-time (2025-12-01, 2025-12-01T09:00:00+03:00)") from None
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_only)]

# The store keeps ids in a 64-bit integer column; bigger ids cannot exist.
MAX_ID = 2**63 - 1


@router.get("", response_model=VerdictPageOut)
async def list_verdicts(
    identity: CurrentIdentity, store: StoreDep,
    sender: Annotated[str | None, Query(max_length=320, description="sender; a manager: only their own")] = None,
    since: Annotated[IsoDateTime | None, Query(description="message date from (inclusive)")] = None,
    until: Annotated[IsoDateTime | None, Query(description="message date until (exclusive)")] = None,
    min_score: Annotated[int | None, Query(ge=0, le=100)] = None,
    name: Annotated[str | None, Query(max_length=200, description="rule name or prefix: cta, cta.no-deadline")] = None,
    source: Annotated[str | None, Query(pattern="^(cli|api|imap)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Any:
    """Stored verdicts, newest first; a manager sees only verdicts on their own mail."""
    if not identity.is_head:
        if sender and not may_read(identity, sender):
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                f"a manager reads only verdicts on mail from {identity.email}")
        sender = identity.email
    items = await run_in_threadpool(store.list, sender=sender, since=since, until=until, min_score=min_score,
                                    name=name, source=source, limit=limit, offset=offset)
    return {"items": items, "limit": limit, "offset": offset}


@router.get("/{verdict_id}", response_model=StoredVerdictOut, response_model_exclude_unset=True,
            responses={200: {"content": {"text/html": {}}}, 404: {"model": ErrorOut}})
async def get_verdict(request: Request, identity: CurrentIdentity, store: StoreDep, config: ConfigDep,
                      verdict_id: Annotated[int, Path(ge=1, le=MAX_ID)], format: FormatQuery = None,
                      lang: LangQuery = None) -> Any:
    """One stored verdict with its full verdict JSON, or as annotated HTML."""
    row = await run_in_threadpool(store.get, verdict_id)
    if row is None or not may_read(identity, row["sender"]):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no verdict {verdict_id}")
    if wants_html(request, format):
        return HTMLResponse(render_page(row["verdict"], lang, verdict_id=verdict_id,
                                        base_url=config.section("api")["base_url"]))
    return row


@router.get("/{verdict_id}/view", response_model=None,
            responses={200: {"content": {"text/html": {}}, "description": "the annotated verdict"},
                       403: {"model": ErrorOut}, 404: {"model": ErrorOut}})
async def view_verdict(store: StoreDep, config: ConfigDep, verdict_id: Annotated[int, Path(ge=1, le=MAX_ID)],
                       reader: Annotated[str, Query(min_length=1, max_length=320)],
                       expires: Annotated[int, Query(ge=0, le=2**62)],
                       sig: Annotated[str, Query(min_length=1, max_length=128)], lang: LangQuery = None) -> Any:
    """The annotated verdict, read-only, for a signed link from a digest (`mail_lint.links`): no token.
    A tampered or expired link is 403; a link made for a manager opens only that manager's own mail."""
    secret = await run_in_threadpool(link_secret, config)
    if not valid(secret, verdict_id, reader, expires, sig):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this link is not valid or has expired")
    row = await run_in_threadpool(store.get, verdict_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no verdict {verdict_id}")
    if reader.lower() != HEAD_READER and row["sender"].lower() != reader.lower():
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this link is not valid for this verdict")
    return HTMLResponse(render_page(row["verdict"], lang, verdict_id=verdict_id, base_url=None))
