"""Request and response models of the check service (input and output kept apart)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from mail_lint.dates import YEARS, in_range
from mail_lint.message import read_date

# -- input -----------------------------------------------------------------------------------------


class AttachmentIn(BaseModel):
    """An attachment of a draft: its name and type are what the checks look at, never its content."""

    model_config = ConfigDict(extra="forbid")

    filename: str = Field(min_length=1, max_length=500)
    content_type: str = Field("application/octet-stream", max_length=200)
    size: int = Field(0, ge=0)


class DraftIn(BaseModel):
    """A draft as typed or pasted: `text` or `html` (text wins when both come), headers as fields."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, json_schema_extra={"examples": [{
        "subject": "КП на 40 панелей", "from": "petr@alfa-solar.ru", "to": ["Иван Петров <ivan@client.ru>"],
        "text": "Добрый день!\n\nНаправляю КП во вложении. Пришлите, пожалуйста, реквизиты.\n\nПётр",
        "attachments": [], "date": "2025-12-03T10:15:00+03:00"}]})

    subject: str = ""
    text: str = ""
    html: str = ""
    sender: str = Field("", alias="from", description="the sender; a manager's own address when empty")
    to: list[str] = []
    cc: list[str] = []
    attachments: list[AttachmentIn] = []
    # Documented as a date-time (RFC 2822 is accepted too, and has no format name; `format` only
    # annotates), so that clients and the property-based tests see what it is.
    date: Annotated[str | None, WithJsonSchema({"anyOf": [{"type": "string", "format": "date-time"},
                                                          {"type": "null"}]})] = Field(
        None, description="ISO 8601 or RFC 2822, years 1900 to 2199; the time of the request when absent")
    language: Literal["ru", "en"] | None = Field(None, description="detected from the text when absent")
    message_id: str = Field("", max_length=998)

    @field_validator("date")
    @classmethod
    def _date_must_parse(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return value
        moment = read_date(value)
        if moment is None:
            raise ValueError("not a date (use ISO 8601, e.g. 2025-12-03T10:15:00+03:00, or RFC 2822)")
        if not in_range(moment):
            raise ValueError(f"out of range: {value.strip()} (dates in {YEARS} only)")
        return value

    @model_validator(mode="after")
    def _needs_text(self) -> DraftIn:
        if not self.text.strip() and not self.html.strip():
            raise ValueError("give the draft's text or html")
        return self


# -- output ----------------------------------------------------------------------------------------


class ErrorOut(BaseModel):
    """Every error: one line saying what is wrong."""

    error: str


class FindingOut(BaseModel):
    """One finding; `start`/`end` are character offsets into the verdict's `text`."""

    model_config = ConfigDict(extra="allow")

    code: str
    name: str
    check: str
    severity: Literal["error", "warning", "suggestion"]
    message: str
    start: int
    end: int
    line: int
    column: int
    suggestion: str = ""
    replacements: list[str] = []


class CheckScoreOut(BaseModel):
    """A check's score (None when it could not run) and status."""

    model_config = ConfigDict(extra="allow")

    score: int | None
    status: Literal["pass", "warn", "fail", "unavailable"]
    reason: str | None = None


class EditOut(BaseModel):
    """One edit of the rewrite: text[start:end] becomes `replacement` ("" deletes it)."""

    start: int
    end: int
    replacement: str
    name: str


class RewriteOut(BaseModel):
    """The greeting and body with the safe edits applied; words_before - words_after = stats.removable_words."""

    text: str
    words_before: int
    words_after: int
    edits: list[EditOut]


class VerdictOut(BaseModel):
    """The verdict JSON of the contract (schema mail-lint/verdict@1)."""

    model_config = ConfigDict(extra="allow")

    schema_: str = Field(alias="schema")
    message: dict[str, Any]
    text: str
    parts: dict[str, list[int] | None]
    findings: list[FindingOut]
    checks: dict[str, CheckScoreOut]
    stats: dict[str, Any]
    score: int
    passed: bool
    rewrite: RewriteOut | None = None   # None only on verdicts stored before the rewrite existed


class VerdictSummaryOut(BaseModel):
    """A stored verdict in a listing, without the full verdict."""

    id: int
    message_id: str
    sender: str
    sender_name: str = ""
    subject: str
    date: datetime
    source: str
    score: int
    passed: bool
    grammar_status: str | None = None
    created_at: datetime


class VerdictPageOut(BaseModel):
    """A page of stored verdicts, newest first."""

    items: list[VerdictSummaryOut]
    limit: int
    offset: int


class StoredVerdictOut(VerdictSummaryOut):
    """A stored verdict with the full verdict JSON."""

    verdict: VerdictOut


class LabelOut(BaseModel):
    """A short text in Russian and English."""

    ru: str
    en: str


class RuleOut(BaseModel):
    """One rule's documentation."""

    code: str
    name: str
    severity: str
    summary: str
    why: str
    bad: str
    better: str
    label: LabelOut
    enabled: bool | None = Field(None, description="in force now: the config file with the stored switches over it")
    effective_severity: str | None = Field(None, description="the severity in force now")


class CheckDocOut(BaseModel):
    """One check: its documentation, options and rules."""

    name: str
    title: LabelOut
    doc: str
    weight: float
    options: dict[str, Any]
    rules: list[RuleOut]


class RulesOut(BaseModel):
    """The rule catalogue; through the service, also each rule's state in force and the stored switches."""

    checks: list[CheckDocOut]
    switches: dict[str, RuleSwitchOut] | None = None


class HealthOut(BaseModel):
    """Liveness."""

    status: Literal["ok"]


class ComponentOut(BaseModel):
    """One dependency's readiness."""

    ok: bool
    detail: str


class ReadyOut(BaseModel):
    """Readiness: the store is writable and, when grammar is enabled, LanguageTool answers."""

    ready: bool
    store: ComponentOut
    languagetool: ComponentOut


# -- what the team teaches: dictionary, dismissals, rule switches --------------------------------------


class WordIn(BaseModel):
    """A word for the company dictionary."""

    model_config = ConfigDict(extra="forbid")

    word: str = Field(min_length=1, max_length=100)


class WordOut(BaseModel):
    """A word of the company dictionary: never a misspelling, for anyone, in any inflected form."""

    word: str
    added_by: str
    created_at: datetime


class DictionaryOut(BaseModel):
    """The company dictionary (the store's words; `[grammar] words` of the config apply as well)."""

    words: list[WordOut]
    config_words: list[str] = Field(description="`[grammar] words` and `[signature] company` of the config file")


class DismissalIn(BaseModel):
    """A finding someone says is not a problem."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="the finding's name, e.g. spelling.MORFOLOGIK_RULE_RU_RU")
    excerpt: str = Field("", max_length=500, description="the flagged text")
    verdict_id: int | None = Field(None, ge=1, le=2**63 - 1)
    reason: str = Field("", max_length=500, description="one line: why it is not a problem")


class DismissalOut(BaseModel):
    """A recorded dismissal; `personal`: a spelling, now never flagged in its author's own checks."""

    id: int
    name: str
    excerpt: str
    verdict_id: int | None
    reason: str
    dismissed_by: str
    role: str
    created_at: datetime
    personal: bool | None = None


class DismissalPageOut(BaseModel):
    """Dismissals, newest first."""

    items: list[DismissalOut]
    limit: int
    offset: int


class RuleSwitchIn(BaseModel):
    """Switch a rule on or off, or change its severity; null returns that part to the config file."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool | None = None
    severity: Literal["error", "warning", "suggestion"] | None = None

    @model_validator(mode="after")
    def _says_something(self) -> RuleSwitchIn:
        if not self.model_fields_set:
            raise ValueError("give enabled or severity")
        return self


class RuleSwitchOut(BaseModel):
    """A stored rule switch (null: as the config file says)."""

    name: str
    enabled: bool | None
    severity: str | None
    updated_by: str
    updated_at: datetime


class SkippedOut(BaseModel):
    """Mail the watcher did not lint, and why."""

    message_id: str
    source: str
    kind: str  # short | not BCC | unparseable | cannot lint | other
    reason: str
    created_at: datetime


class SkippedPageOut(BaseModel):
    """A page of skipped mail, newest first."""

    items: list[SkippedOut]
    limit: int
    offset: int


RulesOut.model_rebuild()
