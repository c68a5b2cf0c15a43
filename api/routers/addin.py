"""The Outlook add-in's files under `/addin/`, with `{{BASE_URL}}` filled in with this server's own base URL.

Outlook loads every add-in file from the URLs in the manifest, and classic Outlook's launch-event runtime
has no page to resolve relative URLs against, so the manifest and the scripts carry absolute URLs. The
server fills them in: `[api] base_url` when set (the public https URL behind a proxy), else the URL the
request came to. `GET /addin/manifest.xml` is what a user sideloads or an admin deploys.
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath
from xml.sax.saxutils import escape

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import FileResponse, Response

from ..deps import ConfigDep

ADDIN = Path(__file__).resolve().parent.parent.parent / "addin"  # addin/ in a checkout, mail_lint/addin installed
PLACEHOLDER = "{{BASE_URL}}"

# Outlook on the web, new Outlook and Outlook.com run the add-in's launch-event code from these origins.
OUTLOOK_ORIGINS = ["https://outlook.office.com", "https://outlook.office365.com", "https://outlook.live.com",
                   "https://outlook.cloud.microsoft"]

# What the add-in is made of; the rest of addin/ (tests, node_modules, package files) is not served.
TEMPLATED = {".xml": "application/xml", ".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
BINARY = {".png": "image/png"}
HIDDEN_DIRS = {"node_modules", "test", "testlib"}

router = APIRouter(prefix="/addin", tags=["add-in"])


def base_url(request: Request, configured: str) -> str:
    """The server's own base URL, without a trailing slash."""
    return (configured or str(request.base_url)).rstrip("/")


def _addin_file(path: str) -> Path:
    relative = PurePosixPath(path)
    if (relative.is_absolute() or ".." in relative.parts or not relative.parts
            or relative.parts[0] in HIDDEN_DIRS or relative.suffix not in TEMPLATED | BINARY):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no add-in file {path}")
    found = ADDIN / relative
    if not found.is_file():
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no add-in file {path}")
    return found


@router.get("/manifest.xml", summary="The add-in's manifest, for sideloading or central deployment",
            response_class=Response, responses={200: {"content": {"application/xml": {}}}})
def manifest(request: Request, config: ConfigDep) -> Response:
    """The Outlook add-in manifest with this server's base URL filled in."""
    return addin_file("manifest.xml", request, config)


@router.get("/{path:path}", include_in_schema=False)
def addin_file(path: str, request: Request, config: ConfigDep) -> Response:
    """An add-in file; text files with this server's base URL in place of `{{BASE_URL}}`."""
    found = _addin_file(path)
    if found.suffix in BINARY:
        return FileResponse(found, media_type=BINARY[found.suffix])
    configured = config.section("api")["base_url"]
    url = base_url(request, configured)
    text = found.read_text(encoding="utf-8").replace(PLACEHOLDER, escape(url) if found.suffix == ".xml" else url)
    # Outlook caches add-in files hard; a short max-age lets a redeployed service take effect the same day.
    # Built from the Host header, a file is the asker's alone: a shared cache that keys on the URL would
    # hand one forged Host's URLs to everyone.
    cache = {"Cache-Control": "public, max-age=300"} if configured else \
        {"Cache-Control": "private, max-age=300", "Vary": "Host"}
    return Response(text, media_type=f"{TEMPLATED[found.suffix]}; charset=utf-8", headers=cache)
