"""Security headers on every response: a Content-Security-Policy per kind of page, nosniff, no framing.

Four policies, by path:
- the paste-a-draft page and the dismissal page (`/`, `/dismiss`, `/static/`): our own scripts, styles and
  API only;
- the API docs (`/docs`): the same, plus the inline script and styles Swagger UI needs;
- the Outlook add-in (`/addin/`): Office.js from Microsoft's CDN (which also sets inline styles), and
  framing by Outlook: Outlook on the web shows the task pane in an iframe of its own page;
- everything else (JSON, the annotated verdict and the digest as HTML): no script at all, inline styles
  (the annotated verdict and the digest carry their own), images inline.

X-Frame-Options cannot name several origins, so the add-in's pages go without it and rely on CSP
`frame-ancestors` (which browsers obey over X-Frame-Options anyway); every other response is `DENY`.
"""
from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mail_lint.annotate import STYLE as VERDICT_STYLE

# Outlook on the web, new Outlook and Outlook.com host the add-in's task pane in an iframe; Office on the
# web serves parts of its frame from officeapps.live.com and the Microsoft 365 domains.
OUTLOOK_FRAME_ANCESTORS = ("https://outlook.office.com", "https://outlook.office365.com", "https://outlook.live.com",
                           "https://outlook.cloud.microsoft", "https://*.officeapps.live.com", "https://*.office.com",
                           "https://*.office365.com", "https://*.cloud.microsoft")
# Office.js and the scripts it loads itself; its telemetry.
OFFICE_JS_SOURCES = ("https://appsforoffice.microsoft.com", "https://ajax.aspnetcdn.com")
OFFICE_JS_CONNECT = ("https://browser.pipe.aria.microsoft.com",)

DOCS_PATHS = ("/docs",)


def _policy(**directives: str) -> str:
    return "; ".join(f"{name.replace('_', '-')} {value}" for name, value in directives.items())


def _style_hash(css: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


# The page parses the annotated verdict (one renderer for the API and the page) with DOMParser, which holds it
# to the page's policy; its stylesheet is never applied there, but an unlisted one is reported as a violation.
PAGE_POLICY = _policy(default_src="'self'", script_src="'self'", style_src=f"'self' {_style_hash(VERDICT_STYLE)}",
                      img_src="'self' data:",
                      connect_src="'self'", object_src="'none'", base_uri="'none'", form_action="'self'",
                      frame_ancestors="'none'")
DOCS_POLICY = _policy(default_src="'self'", script_src="'self' 'unsafe-inline'", style_src="'self' 'unsafe-inline'",
                      img_src="'self' data:", font_src="'self' data:", worker_src="'self' blob:",
                      connect_src="'self'", object_src="'none'", base_uri="'none'", form_action="'self'",
                      frame_ancestors="'none'")
API_POLICY = _policy(default_src="'none'", style_src="'unsafe-inline'", img_src="data:", base_uri="'none'",
                     form_action="'none'", frame_ancestors="'none'")


def addin_policy(base_url: str = "") -> str:
    """The add-in's files name their URLs through `[api] base_url`, which may be another origin than the
    one a page was reached at (a proxy in front): allow it alongside 'self'."""
    parts = urlsplit(base_url)
    ours = " ".join(["'self'", *([f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else [])])
    return _policy(default_src=ours, script_src=" ".join([ours, *OFFICE_JS_SOURCES]),
                   style_src=f"{ours} 'unsafe-inline'", img_src=f"{ours} data:",
                   connect_src=" ".join([ours, *OFFICE_JS_CONNECT]), object_src="'none'", base_uri="'self'",
                   frame_ancestors=" ".join(["'self'", *OUTLOOK_FRAME_ANCESTORS]))


class SecurityHeadersMiddleware:
    """Pure ASGI: adds the headers to every response, errors and CORS preflights included."""

    def __init__(self, app: ASGIApp, base_url: str = "") -> None:
        self.app = app
        self.addin_policy = addin_policy(base_url)

    def headers_for(self, path: str) -> dict[str, str]:
        common = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
        if path.startswith("/addin/"):
            return {**common, "Content-Security-Policy": self.addin_policy}
        if path in ("/", "/dismiss") or path.startswith("/static/"):
            policy = PAGE_POLICY
        elif path in DOCS_PATHS or path.startswith("/docs/"):
            policy = DOCS_POLICY
        else:
            policy = API_POLICY
        return {**common, "Content-Security-Policy": policy, "X-Frame-Options": "DENY"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, root = scope.get("path", ""), scope.get("root_path", "")
        extra = self.headers_for(path[len(root):] if root and path.startswith(root) else path)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
