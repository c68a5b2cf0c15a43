"""The paste-a-draft page at `/` (static files, no build step)."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(tags=["pages"])


@router.get("/", include_in_schema=False)
async def index() -> FileResponse:
    """The paste-a-draft page."""
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


@router.get("/dismiss", include_in_schema=False)
async def dismiss_page() -> FileResponse:
    """«Не ошибка» for one finding: the page the links in annotated verdicts and feedback mail open."""
    return FileResponse(STATIC / "dismiss.html", media_type="text/html; charset=utf-8")
