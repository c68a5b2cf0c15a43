"""Talk to a LanguageTool server through `language-tool-python` (remote mode: it never downloads).

Matches come back with offsets that are Python string indices into the checked text. LanguageTool
is Java: its offsets count UTF-16 code units, so an emoji (one Python character) counts as two.
language-tool-python corrects `Match.offset` for that but not the length, and does it through
class-level state shared by all threads; we read the raw JSON and convert both ends ourselves.
"""
from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field
from typing import Any

import language_tool_python
from language_tool_python.exceptions import LanguageToolError

from mail_lint.checks import CheckUnavailable

from .server import ManagedServer


@dataclass(frozen=True)
class LTMatch:
    start: int            # Python index into the checked text
    end: int
    rule_id: str
    category: str         # TYPOS, GRAMMAR, CONFUSED_WORDS, ...
    issue_type: str       # misspelling, grammar, style, typographical, whitespace, uncategorized, ...
    message: str
    short_message: str = ""
    replacements: list[str] = field(default_factory=list)


def utf16_to_index(text: str):
    """A function mapping a UTF-16 offset in `text` to a Python index (identity without astral chars)."""
    if all(ord(ch) < 0x10000 for ch in text):
        return lambda offset: offset
    boundaries = []  # UTF-16 offset at which each Python character starts
    units = 0
    for ch in text:
        boundaries.append(units)
        units += 2 if ord(ch) >= 0x10000 else 1
    return lambda offset: bisect.bisect_left(boundaries, offset)


class _RemoteTool(language_tool_python.LanguageTool):
    """language-tool-python pointed at our server: one try per request, our timeout."""

    def __init__(self, url: str, language: str, timeout: float) -> None:
        self._TIMEOUT = timeout  # the library's class-wide 300 s; set before __init__ queries /languages
        super().__init__(language, remote_server=url)

    def _query_server(self, *args: Any, **kwargs: Any) -> Any:
        # The library retries once; on a server that hangs that doubles the wait past our timeout.
        kwargs["num_tries"] = 1
        return super()._query_server(*args, **kwargs)

    def check_raw(self, text: str, disabled_rules: tuple[str, ...], enabled_rules: tuple[str, ...]) -> list[dict]:
        params = self._create_params(text)  # language, text (and nothing else: we never set tool state)
        if disabled_rules:
            params["disabledRules"] = ",".join(disabled_rules)
        if enabled_rules:
            params["enabledRules"] = ",".join(enabled_rules)
        response = self._query_server(self._url + "check", params, method="post")
        if not isinstance(response, dict) or "matches" not in response:
            raise LanguageToolError(f"unexpected answer from {self._url}check: {str(response)[:200]}")
        return response["matches"]


class LanguageToolClient:
    """`check(text, language)` against one LanguageTool server; the `languagetool` service of the engine.

    With a `ManagedServer` it also keeps that server alive: a dead server is restarted in the background
    while the check reports unavailable.
    Raises `CheckUnavailable` on timeout, connection errors and bad answers: never a made-up finding.
    """

    def __init__(self, url: str | None = None, *, timeout: float = 5.0, server: ManagedServer | None = None) -> None:
        if url is None and server is None:
            raise ValueError("LanguageToolClient needs a url or a server")
        self._url = url
        self.server = server
        self.timeout = timeout
        self._tools: dict[tuple[str, str], _RemoteTool] = {}
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return self.server.url if self.server else self._url  # type: ignore[return-value]

    def _tool(self, language: str) -> _RemoteTool:
        key = (self.url, language)
        with self._lock:
            tool = self._tools.get(key)
            if tool is None:
                tool = self._tools[key] = _RemoteTool(self.url, language, self.timeout)
            return tool

    def check(self, text: str, language: str, *, disabled_rules: tuple[str, ...] | list[str] = (),
              enabled_rules: tuple[str, ...] | list[str] = ()) -> list[LTMatch]:
        """language: a LanguageTool code (ru-RU, en-US)."""
        # A managed server that is down is restarted off this path: a JVM start (seconds) would hold this
        # check past its timeout, and every other check with it.
        if self.server is not None and not self.server.ready():
            self.server.restart_in_background()
            raise CheckUnavailable(f"LanguageTool at {self.url} is not running; it is being restarted")
        try:
            raw = self._tool(language).check_raw(text, tuple(disabled_rules), tuple(enabled_rules))
        except (LanguageToolError, OSError, ValueError) as e:
            if self.server is not None and not self.server.alive():  # it died under this check
                self.server.restart_in_background()
            raise CheckUnavailable(f"LanguageTool at {self.url} did not answer: {_short(e)}") from None
        to_index = utf16_to_index(text)
        return [_match(m, to_index) for m in raw]

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()


def _short(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:300] if str(error).strip() else type(error).__name__


def _match(m: dict, to_index) -> LTMatch:
    start = to_index(m["offset"])
    end = to_index(m["offset"] + m["length"])
    rule = m.get("rule", {})
    return LTMatch(start=start, end=end, rule_id=rule.get("id", "UNKNOWN"),
                   category=rule.get("category", {}).get("id", ""), issue_type=rule.get("issueType", ""),
                   message=m.get("message", ""), short_message=m.get("shortMessage", ""),
                   replacements=[r["value"] for r in m.get("replacements", []) if "value" in r])
