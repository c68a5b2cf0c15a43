"""HTML to plain text that keeps the line structure and marks where quoted history starts.

The walk emits text with private-use marker characters where a quote may begin; the final
clean-up (blank-line collapsing, trimming) carries each marker to the line it belongs to, so
`quote_start` is an exact offset into the returned text whatever the clean-up removed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

MAX_HTML_CHARS = 400_000  # bigger HTML is cut (~0.5 s of parsing): the linted text is capped anyway
# Images inlined as data: URIs can be megabytes inside one attribute; they carry no text.
_DATA_URI = re.compile(r"data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]{100,}", re.I)

# Markers: a quote surely starts here / a blockquote (an attribution line may precede it) /
# a divider that starts a quote only when a From:/От: header block follows it.
_QUOTE, _BLOCKQUOTE, _DIVIDER = "\ue000", "\ue001", "\ue002"
_MARKERS = _QUOTE + _BLOCKQUOTE + _DIVIDER

_DROP = {"style", "script", "head", "title", "meta", "link", "noscript", "template", "svg", "object",
         "iframe", "img", "map"}
_BLOCK = {"address", "article", "aside", "center", "dd", "div", "dl", "dt", "fieldset", "figure",
          "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "main", "nav", "section",
          "table", "tbody", "thead", "tfoot", "caption", "ul", "ol", "blockquote", "pre", "hr", "body",
          "html"}
_PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Containers that clients wrap around the quoted message (Gmail, Thunderbird, Yahoo, Outlook web,
# Proton, Yandex, Mail.ru, Outlook for Mac).
_QUOTE_CLASSES = {"gmail_quote", "gmail_quote_container", "gmail_extra_quote", "moz-cite-prefix",
                  "yahoo_quoted", "protonmail_quote", "yandex_quote", "mail-quote-collapse",
                  "js-readmsg-msg"}
_QUOTE_IDS = {"divrplyfwdmsg", "appendonsend", "olk_src_body_section", "mail-editor-reference-message-container"}
# Outlook (border-top:solid #E1E1E1 / #B5C4DF) and Windows Mail put the reply header under a thin
# top border; such a div starts the quote only when a From:/От: line follows (checked in _quote_line).
_BORDER_TOP = re.compile(r"border-top(?:-style)?\s*:", re.I)
_STYLE_DECLARATION_END = re.compile(r"[;\"]")
_HEADER_LINE = re.compile(r"^(?:From|От|Date|Sent|Отправлено|Дата|Кому|To|Subject|Тема)\s*:", re.I)
_ATTRIBUTION = re.compile(r"(@|\d{1,2}:\d{2}|wrote|пишет|писал|написал)", re.I)
# "<![" followed by anything but the marked sections html.parser knows (CDATA, MS Office's [if]...).
_UNKNOWN_MARKED_SECTION = re.compile(
    r"<!\[(?!(?i:temp|cdata|ignore|include|rcdata|if|else|endif)(?![-_.a-zA-Z0-9]))")
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad]")


@dataclass
class HtmlText:
    text: str
    quote_start: int | None  # offset in `text` where a blockquote / gmail_quote / Outlook divider began
    truncated: bool = False  # the HTML was longer than MAX_HTML_CHARS: only its beginning was read


class _Writer:
    """Accumulates text; knows whether it stands at the start of a line."""

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.at_line_start = True

    def text(self, s: str) -> None:
        if s:
            self.chunks.append(s)
            self.at_line_start = s.endswith("\n")

    def newline(self) -> None:
        """End the current line unless we already stand at a line start."""
        if not self.at_line_start:
            self.text("\n")

    def line_break(self) -> None:
        self.text("\n")

    def blank_line(self) -> None:
        self.newline()
        self.text("\n")


def _is_hidden(tag: Tag) -> bool:
    style = tag.get("style")
    return bool(style) and bool(_HIDDEN_STYLE.search(str(style)))


def _quote_marker(tag: Tag) -> str | None:
    """Which marker, if any, this element puts before its content."""
    name = tag.name
    classes = {c.lower() for c in (tag.get("class") or [])}
    ident = str(tag.get("id") or "").lower()
    if classes & _QUOTE_CLASSES or ident in _QUOTE_IDS or ident.startswith("yahoo_quoted"):
        return _QUOTE
    if name == "blockquote":
        return _BLOCKQUOTE
    if name == "hr" or (name == "div" and _solid_top_border(str(tag.get("style") or ""))):
        return _DIVIDER
    return None


def _solid_top_border(style: str) -> bool:
    """A border-top declaration whose value says solid. Declaration by declaration, not with one regex like
    "border-top:[^;]*solid": that rescans the rest of the style from each "border-top:" of a long run."""
    for declaration in _STYLE_DECLARATION_END.split(style):
        found = _BORDER_TOP.search(declaration)
        if found and "solid" in declaration[found.end():].lower():
            return True
    return False


def _breaks_lines(tag: Tag) -> bool:
    return tag.name in _BLOCK or tag.name in _PARAGRAPH or tag.name in ("br", "li")


class _Walker:
    """Iterative depth-first walk (deeply nested HTML must not hit Python's recursion limit)."""

    def __init__(self, out: _Writer) -> None:
        self.out = out
        self.in_pre = 0
        self.list_counters: list[int | None] = []
        self.rows: dict[int, tuple[bool, Tag]] = {}  # id(tr) -> (its cells hold blocks, its first cell)
        self.holds_blocks: dict[int, bool] = {}  # id(element) -> something inside it breaks lines
        self.paragraph_starts: dict[int, int] = {}  # id(p) -> chunk count when it opened

    def walk(self, root: Tag) -> None:
        stack: list[tuple[object, bool]] = [(root, False)]
        while stack:
            node, leaving = stack.pop()
            if leaving:
                self.leave(node)
            elif isinstance(node, (Comment, Declaration, Doctype, CData, ProcessingInstruction)):
                continue
            elif isinstance(node, NavigableString):
                self.string(str(node))
            elif isinstance(node, Tag) and node.name not in _DROP and not _is_hidden(node):
                self.enter(node)
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.contents))

    def string(self, s: str) -> None:
        s = _INVISIBLE.sub("", s)
        if self.in_pre:
            self.out.text(s.replace("\xa0", " ").replace("\r\n", "\n"))
            return
        s = _SPACES.sub(" ", s)
        if s != " " or not self.out.at_line_start:
            self.out.text(s)

    def enter(self, tag: Tag) -> None:
        out, name = self.out, tag.name
        if name in _PARAGRAPH:
            # Outlook's MsoNormal paragraphs have no margins: one line each, no blank line between.
            out.newline() if _is_mso(tag) else out.blank_line()
            self.paragraph_starts[id(tag)] = len(out.chunks)
        elif name == "br":
            out.line_break()
        elif name in _BLOCK or name in ("tr", "li"):
            out.newline()
        marker = _quote_marker(tag)
        if marker:
            out.newline()
            out.text(marker)
        if name == "pre":
            self.in_pre += 1
        elif name in ("ul", "ol"):
            self.list_counters.append(0 if name == "ol" else None)
        elif name == "li":
            counter = self.list_counters[-1] if self.list_counters else None
            if counter is None:
                out.text("- ")
            else:
                self.list_counters[-1] = counter + 1
                out.text(f"{counter + 1}. ")
        elif name in ("td", "th"):
            self.cell(tag)

    def cell(self, tag: Tag) -> None:
        row = tag.parent
        if row is None or row.name != "tr":
            self.out.newline()
            return
        if id(row) not in self.rows:
            cells = [c for c in row.contents if isinstance(c, Tag) and c.name in ("td", "th")]
            self.rows[id(row)] = (any(self.holds_block(c) for c in cells), cells[0])
        layout, first_cell = self.rows[id(row)]
        if layout:
            self.out.newline()  # a layout table: its cells are blocks, not columns
        elif first_cell is not tag:
            self.out.text(" | ")

    def holds_block(self, element: Tag) -> bool:
        """Whether a block, paragraph, <br> or <li> lies somewhere inside. Depth first, stopping at the first
        one, and each element's answer kept: tables nested thousands deep would otherwise search the same
        subtree from each of their cells (bs4's find() costs the depth of the subtree even to start)."""
        known = self.holds_blocks
        if id(element) in known:
            return known[id(element)]
        path = [(element, iter(element.contents))]
        while path:
            node, children = path[-1]
            for child in children:
                if not isinstance(child, Tag):
                    continue
                if _breaks_lines(child) or known.get(id(child)):
                    for ancestor, _ in path:
                        known[id(ancestor)] = True
                    return True
                if id(child) not in known:
                    path.append((child, iter(child.contents)))
                    break
            else:
                known[id(node)] = False
                path.pop()
        return False

    def leave(self, tag: Tag) -> None:
        name = tag.name
        if name == "pre":
            self.in_pre -= 1
        elif name in ("ul", "ol") and self.list_counters:
            self.list_counters.pop()
        if name in _PARAGRAPH and not _is_mso(tag):
            self.out.blank_line()
        elif name in _PARAGRAPH and self.paragraph_starts.get(id(tag)) == len(self.out.chunks):
            self.out.line_break()  # Outlook's empty line: <p class=MsoNormal>&nbsp;</p>
        elif name in _BLOCK or name in ("tr", "li") or name in _PARAGRAPH:
            self.out.newline()


def _is_mso(tag: Tag) -> bool:
    return "MsoNormal" in (tag.get("class") or [])


def _clean(raw: str) -> tuple[list[str], dict[str, list[int]]]:
    """Trim lines, drop leading/trailing blanks, collapse blank runs; say which line each marker precedes."""
    lines: list[str] = []
    marks: dict[str, list[int]] = {m: [] for m in _MARKERS}
    pending: list[str] = []
    for raw_line in raw.split("\n"):
        found = [ch for ch in raw_line if ch in _MARKERS]
        line = raw_line
        if found:
            pending.extend(found)
            line = "".join(ch for ch in raw_line if ch not in _MARKERS)
        line = line.strip()
        if not line:
            if lines and lines[-1]:
                lines.append("")
            continue
        for m in set(pending):  # once per line: 20 000 nested blockquotes mark one line once
            marks[m].append(len(lines))
        pending = []
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines, marks


def _quote_line(lines: list[str], marks: dict[str, list[int]]) -> int | None:
    """Index of the line where quoted history begins, from the markers the walk left."""
    candidates = list(marks[_QUOTE])
    for i in marks[_BLOCKQUOTE]:
        # Yandex, Mail.ru, Thunderbird put the attribution ("26.06.2014, 14:41, "Alex" <a@b.ru>:")
        # just above the blockquote, outside it.
        prev = i - 1
        while prev >= 0 and not lines[prev]:
            prev -= 1
        if prev >= 0 and lines[prev].endswith(":") and _ATTRIBUTION.search(lines[prev]):
            candidates.append(prev)
        else:
            candidates.append(i)
    candidates += [i for i in marks[_DIVIDER] if i < len(lines) and _HEADER_LINE.match(lines[i])]
    return min(candidates) if candidates else None


def _parseable(html: str) -> str:
    """The markup as html.parser can read it in linear time.

    Marked sections it does not know ("<![ x]>") make it raise: escaped, they read as text. And it stops
    at the first tag, comment or declaration that the document never closes; at the end it reads the
    rest again from each "<" in it, which is quadratic ("<a" x 200 000 took over half an hour). Python
    3.11.13 fixed that (CVE-2025-6069) by dropping such an unclosed tail, as HTML5 does; we drop it
    ourselves, found by one pass of the bare tokenizer (a twentieth of the conversion's time)."""
    html = _UNKNOWN_MARKED_SECTION.sub("&lt;![", html)
    scanner = HTMLParser()
    scanner.feed(html)
    tail = scanner.rawdata  # what the tokenizer left unread: from the first construct it could not close
    return html[:len(html) - len(tail)] if len(tail) > 1 and tail.startswith("<") else html


def html_to_text(html: str) -> HtmlText:
    html = _DATA_URI.sub("data:", html)
    truncated = len(html) > MAX_HTML_CHARS
    soup = BeautifulSoup(_parseable(html[:MAX_HTML_CHARS]), "html.parser")
    out = _Writer()
    _Walker(out).walk(soup)
    lines, marks = _clean("".join(out.chunks))
    text = "\n".join(lines)
    quote_line = _quote_line(lines, marks)
    quote_start = None
    if quote_line is not None and quote_line < len(lines):
        quote_start = sum(len(ln) + 1 for ln in lines[:quote_line])
    return HtmlText(text=text, quote_start=quote_start, truncated=truncated)
