"""POST /v1/check: lint a draft (JSON) or a raw message (message/rfc822), store the verdict, return it."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import ValidationError

from mail_lint.annotate import render_page
from mail_lint.checking import lint_and_store
from mail_lint.errors import UnusableInput
from mail_lint.message import from_draft, parse
from mail_lint.model import Attachment, Message
from mail_lint.tokens import Identity

from ..auth import CurrentIdentity, may_read
from ..deps import ConfigDep, ServicesDep, StoreDep, TeachingDep
from ..errors import validation_message
from ..negotiate import FormatQuery, LangQuery, wants_html
from ..schemas import DraftIn, ErrorOut, VerdictOut

router = APIRouter(prefix="/v1", tags=["check"])

RFC822 = "message/rfc822"


def _inlined(schema: dict) -> dict:
    """A pydantic JSON schema with its $defs put in place. The body is read by hand (two content
    types), so FastAPI registers no component for it, and a $ref to one would dangle: the docs and
    the property-based tests then never saw the JSON draft at all."""
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(defs[node["$ref"].rsplit("/", 1)[-1]])
            return {key: resolve(value) for key, value in node.items()}
        return [resolve(item) for item in node] if isinstance(node, list) else node
    return resolve(schema)


_DOCUMENTED_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _inlined(DraftIn.model_json_schema())},
            RFC822: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def _message_from_draft(draft: DraftIn, identity: Identity, config) -> Message:
    return from_draft(
        text=draft.text, html=draft.html, subject=draft.subject, sender=draft.sender or identity.email,
        to=draft.to, cc=draft.cc, date=draft.date or datetime.now(config.timezone).replace(microsecond=0),
        attachments=[Attachment(a.filename, a.content_type, a.size) for a in draft.attachments],
        language=draft.language, message_id=draft.message_id)


async def checked_message(request: Request, identity: CurrentIdentity, config: ConfigDep) -> Message:
    """The request body as a message: a JSON draft or raw RFC 822 bytes."""
    content_type = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    body = await request.body()
    if content_type == RFC822:
        try:
            return await run_in_threadpool(parse, body)
        except UnusableInput as e:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, str(e)) from None
    if content_type != "application/json":
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                            f"send application/json (a draft) or {RFC822} (a raw email), not {content_type}")
    try:
        draft = DraftIn.model_validate_json(body)
    except ValidationError as e:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, validation_message(e.errors(), "body")) from None
    try:
        return _message_from_draft(draft, identity, config)
    except UnusableInput as e:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(e)) from None


_SOURCE_NAMES = {"imap": "the mailbox watcher", "cli": "the command line"}


def _refuse_a_known_message_id(message: Message, identity: Identity, store) -> None:
    """409 when the watcher or the CLI already stored a verdict on this Message-ID and the caller may read
    it: the caller learns nothing new, and the store keeps one verdict on that email, not two. Of a
    verdict the caller may not read, nothing is said: the save goes on into their own keeping."""
    if not message.message_id:
        return
    existing = store.find(message.message_id)
    if existing is not None and may_read(identity, existing["sender"]):
        by = _SOURCE_NAMES.get(existing["source"], existing["source"])
        raise HTTPException(status.HTTP_409_CONFLICT,
                            f"{by} already stored a verdict on {existing['message_id']}: /v1/verdicts/{existing['id']}"
                            " (use save=false to check it again without storing)")


@router.post("/check", openapi_extra=_DOCUMENTED_BODY,
             responses={200: {"model": VerdictOut, "content": {"text/html": {}}},
                        400: {"model": ErrorOut}, 401: {"model": ErrorOut}, 403: {"model": ErrorOut},
                        409: {"model": ErrorOut}, 413: {"model": ErrorOut}, 415: {"model": ErrorOut},
                        422: {"model": ErrorOut}})
def check(request: Request, message: Annotated[Message, Depends(checked_message)], identity: CurrentIdentity,
          config: ConfigDep, services: ServicesDep, store: StoreDep, teaching: TeachingDep, format: FormatQuery = None,
          lang: LangQuery = None,
          save: Annotated[bool, Query(description="store the verdict (source api)")] = True) -> Any:
    """Lint one draft or raw email and return its verdict (JSON, or annotated HTML)."""
    sender = message.sender.email if message.sender else ""
    if save and not identity.is_head and sender != identity.email:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            f"a manager stores verdicts only on mail from {identity.email}, not {sender or 'no sender'}"
                            " (use save=false to check it without storing)")
    if save:
        _refuse_a_known_message_id(message, identity, store)
    # Kept within the caller's own keeping: a Message-ID someone else stored is never touched, and the
    # reply (a new X-Verdict-Id) looks the same as for a Message-ID never seen.
    verdict, verdict_id = lint_and_store(message, config, services, store if save else None,
                                         source="api", owner=identity.email, teaching=teaching)
    headers = {"X-Verdict-Id": str(verdict_id), "Location": f"/v1/verdicts/{verdict_id}"} if verdict_id else {}
    if wants_html(request, format):
        # A draft being checked can still change: the shorter version comes with its «Применить» button.
        return HTMLResponse(render_page(verdict.to_json(), lang, verdict_id=verdict_id,
                                        base_url=config.section("api")["base_url"], apply=True), headers=headers)
    return JSONResponse(verdict.to_json(), headers=headers)
