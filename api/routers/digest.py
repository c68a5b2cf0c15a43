"""GET /v1/digest: the head's weekly digest (JSON contract of mail_lint.digest, or its HTML)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse

from mail_lint.digest import IsoWeek, WeekError, digest_json
from mail_lint.digest.render import render_html

from ..auth import HeadIdentity
from ..deps import ConfigDep, StoreDep
from ..negotiate import FormatQuery, LangQuery, wants_html
from ..schemas import ErrorOut

router = APIRouter(prefix="/v1", tags=["digest"])


@router.get("/digest", responses={200: {"content": {"application/json": {}, "text/html": {}}},
                                  401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 422: {"model": ErrorOut}})
async def get_digest(request: Request, identity: HeadIdentity, store: StoreDep, config: ConfigDep,
                     week: Annotated[str | None, Query(
                         pattern=r"^\d{4}-W\d{2}$", json_schema_extra={"format": "iso-week"}, description=(
                             "ISO week of the years 1900 to 2199, e.g. 2025-W49; default: the last complete week"),
                     )] = None,
                     format: FormatQuery = None, lang: LangQuery = None) -> Any:
    """A week of verdicts per manager, for the head of sales only."""
    try:
        chosen = IsoWeek.parse(week) if week else None
    except WeekError as e:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"query.week: {e}") from None
    digest = await run_in_threadpool(digest_json, store, config, chosen)
    if wants_html(request, format):
        language = lang or config.section("digest")["language"] or config.section("general")["default_language"]
        return HTMLResponse(render_html(digest, language, embed="data").html)
    return JSONResponse(jsonable_encoder(digest))
