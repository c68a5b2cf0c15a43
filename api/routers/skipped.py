"""Mail the watcher saw and did not lint (not selected, unreadable, failed), with the reason: for the head."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from ..auth import HeadIdentity
from ..deps import StoreDep
from ..schemas import ErrorOut, SkippedPageOut

router = APIRouter(prefix="/v1/skipped", tags=["verdicts"],
                   responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 422: {"model": ErrorOut}})


@router.get("", response_model=SkippedPageOut)
async def list_skipped(identity: HeadIdentity, store: StoreDep,
                       limit: Annotated[int, Query(ge=1, le=500)] = 50,
                       offset: Annotated[int, Query(ge=0, le=10**9)] = 0) -> Any:
    """Skipped mail, newest first, with the kind of reason (short, not BCC, unparseable, cannot lint)."""
    items = await run_in_threadpool(store.list_skipped, limit=limit, offset=offset)
    return {"items": items, "limit": limit, "offset": offset}
