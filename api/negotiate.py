"""JSON or annotated HTML: `?format=` wins, else the Accept header (a browser asking for text/html)."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Request

Format = Literal["json", "html"]
UiLanguage = Literal["ru", "en"]

FormatQuery = Annotated[Format | None, Query(description="json or html (annotated); default: by the Accept header")]
LangQuery = Annotated[UiLanguage | None,
                      Query(description="labels of the annotated HTML; default: the email's language")]


def wants_html(request: Request, format: Format | None) -> bool:
    if format is not None:
        return format == "html"
    accept = request.headers.get("accept", "")
    if "text/html" not in accept:
        return False
    return "application/json" not in accept or accept.index("text/html") < accept.index("application/json")
