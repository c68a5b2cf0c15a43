"""The parsed message that every check reads. Spans are offsets into `Message.text`."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .opening import Opening

Span = tuple[int, int]


@dataclass(frozen=True)
class Address:
    name: str
    email: str

    def __str__(self) -> str:
        if self.name and self.email:
            return f"{self.name} <{self.email}>"
        return self.email or self.name


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str = "application/octet-stream"
    size: int = 0

    def to_json(self) -> dict:
        return {"filename": self.filename, "content_type": self.content_type, "size": self.size}


@dataclass(frozen=True)
class Parts:
    """Where the greeting, body, signature and quoted history lie in the text (None: absent), and what
    the splitter read there, for the checks to judge rather than find again (not in the verdict JSON):

    - `opening_line`: the first line of the new text; `opening`: the greeting phrase and address on it
      (`mail_lint.opening.Opening`), or a bare address ("Мария!") whose words the greeting check judges;
    - `signoff`: the sign-off line ("С уважением,", "Best regards, Ivan") when the signature has one;
    - `footer`: the machine-made tail of the signature (a "-- " block, "Sent from my iPhone", a disclaimer).
    """

    greeting: Span | None = None
    body: Span | None = None
    signature: Span | None = None
    quoted: Span | None = None
    opening_line: Span | None = field(default=None, compare=False)
    opening: Opening | None = field(default=None, compare=False)
    signoff: Span | None = field(default=None, compare=False)
    footer: Span | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        return {k: (list(v) if v else None) for k, v in
                (("greeting", self.greeting), ("body", self.body),
                 ("signature", self.signature), ("quoted", self.quoted))}


@dataclass
class Message:
    text: str
    parts: Parts
    language: str = "ru"
    subject: str = ""
    sender: Address | None = None
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    bcc: list[Address] = field(default_factory=list)
    date: datetime | None = None
    message_id: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    size: int = 0
    # Headers as parsed (lower-case names), for selection rules that need more than the above.
    headers: dict[str, str] = field(default_factory=dict)
    # Text was left out for size (mime.MAX_TEXT_CHARS and the MIME and HTML caps): the verdict says so.
    truncated: bool = False

    def span_text(self, span: Span | None) -> str:
        return self.text[span[0]:span[1]] if span else ""

    @property
    def lead_line(self) -> Span:
        """The first non-blank line of the whole text, or (0, 0): where a finding about what is not
        there at all (a forward with nothing written) points."""
        for line_start, line in _lines_with_offsets(self.text):
            if line.strip():
                lead = len(line) - len(line.lstrip())
                return (line_start + lead, line_start + len(line.rstrip()))
        return (0, 0)

    @property
    def new_text_end(self) -> int:
        """End of what the author wrote in this message: everything before the quoted history."""
        return self.parts.quoted[0] if self.parts.quoted else len(self.text)

    @property
    def new_text(self) -> str:
        return self.text[: self.new_text_end]

    @property
    def writing(self) -> Span:
        """Greeting plus body: the author's own prose, without signature and quotes."""
        starts = [s for s in (self.parts.greeting, self.parts.body) if s]
        if not starts:
            return (0, 0)
        return (min(s[0] for s in starts), max(s[1] for s in starts))


def _lines_with_offsets(text: str):
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield start, text[start:end]
        start = end + 1
