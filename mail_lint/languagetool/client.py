"""Talk to LanguageTool servers over HTTP (/v2/check): paragraph by paragraph, cached, over a pool.

**Paragraphs.** A text is cut at blank lines (LanguageTool's own paragraph end: its sentences and
their rules never cross one) and each paragraph is checked, and cached, on its own: an edited draft
sends only the paragraphs that changed, and a standard paragraph is checked once. The findings are
those of the whole text (tests/test_grammar_equivalence.py compares them on the sales emails and the
test cases): the rules that look across paragraphs are off by default or found nothing there.

**Offsets.** LanguageTool is Java: its offsets count UTF-16 code units, so an emoji (one Python
character) counts as two. Both ends of a match are converted to Python indices into its paragraph,
then moved by the paragraph's start.

**Pool.** Requests go to the least busy healthy server. A server that fails (refused, timed out, an
error status) is skipped, and the request moves on to another server while the check's time lasts.
When its pause is over (2 s, doubling up to a minute) a health check (/v2/languages, in the
background) decides whether it takes requests again. A server of our own (`ManagedServer`) that died is
restarted in the background instead, and used again once it is ready.
"""
from __future__ import annotations

import bisect
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Iterable

import requests

from mail_lint.checks import CheckUnavailable

from .cache import MemoryCache, ResultCache, cache_key
from .server import ManagedServer, is_healthy, rule_parameters

REMOTE_CAPACITY = 2        # checks at once we send to a server we did not start (its thread count is unknown)
FIRST_BACKOFF = 2.0        # seconds a failed server is skipped, doubled on each failure in a row...
MAX_BACKOFF = 60.0         # ...up to this
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


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


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(start, paragraph) for each run of text between blank lines, as LanguageTool splits them."""
    out, start = [], 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        if brk.start() > start:
            out.append((start, text[start:brk.start()]))
        start = brk.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


class Backend:
    """One LanguageTool server of the pool: its URL, how busy it is, and whether to skip it for now."""

    def __init__(self, url: str | None = None, server: ManagedServer | None = None,
                 capacity: int = REMOTE_CAPACITY) -> None:
        self._url = url.rstrip("/") if url else None
        self.server = server
        self.capacity = server.threads if server is not None else capacity
        self.in_flight = 0
        self.answered = 0          # requests it answered
        self.failures = 0          # in a row; 0: healthy
        self.skip_until = 0.0
        self._probing = False
        self._failed_pid: int | None = None  # our server's process when it failed

    @property
    def url(self) -> str:
        return self.server.url if self.server is not None else self._url  # type: ignore[return-value]

    def usable(self, now: float) -> bool:
        if self.server is not None and not self.server.ready():
            self.server.restart_in_background()  # no-op while it is alive or already being restarted
            return False
        if self.failures and self.server is not None and self.server.pid != self._failed_pid:
            self.succeeded()  # what failed was the process before a restart; this one is ready
        if self.failures == 0:
            return True
        if now >= self.skip_until and not self._probing:
            self._probing = True
            threading.Thread(target=self._probe, daemon=True, name="lt-health").start()
        return False

    def _probe(self) -> None:
        """A failed server takes requests again only once it answers a health check (a hung one would
        otherwise hold a real check for its whole timeout)."""
        try:
            if is_healthy(self.url, timeout=2.0):
                self.succeeded()
            else:
                self.failed()
        finally:
            self._probing = False

    def succeeded(self) -> None:
        self.failures, self.skip_until = 0, 0.0

    def failed(self) -> None:
        if self.server is not None and not self.server.alive():  # it died: restart it, ready() says when
            self.server.restart_in_background()
            return
        self._failed_pid = self.server.pid if self.server is not None else None
        self.skip_until = time.monotonic() + min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** self.failures)
        self.failures += 1


class _Refused(Exception):
    """The server answered, but no server would answer otherwise (4xx): not the server's fault."""


class LanguageToolClient:
    """`check(text, language)` over one or more LanguageTool servers; the `languagetool` service of the engine.

    url / server: one server (remote, or a `ManagedServer` it also keeps alive); backends: a pool.
    cache: answers per paragraph (default: this process's memory); namespace: goes into its keys (the
    LanguageTool version or the servers' URLs), so that another LanguageTool does not answer from it.
    Raises `CheckUnavailable` on timeout, connection errors and bad answers: never a made-up finding.
    """

    def __init__(self, url: str | None = None, *, timeout: float = 5.0, server: ManagedServer | None = None,
                 backends: Iterable[Backend] = (), cache: ResultCache | None = None, namespace: str = "") -> None:
        self.backends = list(backends)
        if server is not None:
            self.backends.insert(0, Backend(server=server))
        if url:
            self.backends.insert(0, Backend(url))
        if not self.backends:
            raise ValueError("LanguageToolClient needs a url, a server or backends")
        self.timeout = timeout
        self.cache = cache if cache is not None else MemoryCache()
        self.namespace = namespace or ",".join(sorted(b.url for b in self.backends if b.server is None)) or "local"
        self._lock = threading.Lock()
        self._local = threading.local()  # a requests.Session per thread: kept-alive connections
        self._senders = ThreadPoolExecutor(max_workers=16, thread_name_prefix="lt-request")
        self.requests_sent = 0  # paragraphs sent to a server (the rest came from the cache)

    # -- the pool ----------------------------------------------------------------------------------
    @property
    def server(self) -> ManagedServer | None:
        """The first server of our own in the pool, if any."""
        return next((b.server for b in self.backends if b.server is not None), None)

    @property
    def url(self) -> str:
        return self.backends[0].url

    def capacity(self) -> int:
        """Checks the healthy servers can run at once: how many emails a backlog may check concurrently."""
        now = time.monotonic()
        return sum(b.capacity for b in self.backends if b.usable(now))

    def ping(self) -> bool:
        """Some server of the pool answers."""
        return any(is_healthy(b.url, timeout=min(self.timeout, 2.0)) for b in self.backends
                   if b.server is None or b.server.ready())

    def _acquire(self, tried: set[int]) -> Backend | None:
        with self._lock:
            now = time.monotonic()
            candidates = [b for b in self.backends if id(b) not in tried and b.usable(now)]
            if not candidates:
                return None
            backend = min(candidates, key=lambda b: b.in_flight / b.capacity)
            backend.in_flight += 1
            return backend

    def _release(self, backend: Backend, ok: bool | None) -> None:
        with self._lock:
            backend.in_flight -= 1
            if ok:
                backend.answered += 1
                backend.succeeded()
            elif ok is False:
                backend.failed()

    # -- one paragraph -----------------------------------------------------------------------------
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def _post(self, backend: Backend, params: dict, timeout: float) -> list[dict]:
        response = self._session().post(backend.url + "/v2/check", data=params, timeout=timeout)
        if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
            raise _Refused(f"LanguageTool at {backend.url} refused the text: HTTP {response.status_code} "
                           f"{' '.join(response.text.split())[:200]}")
        response.raise_for_status()
        answer = response.json()
        if not isinstance(answer, dict) or not isinstance(answer.get("matches"), list):
            raise ValueError(f"unexpected answer from {backend.url}/v2/check: {str(answer)[:200]}")
        return answer["matches"]

    def _check_paragraph(self, params: dict, deadline: float) -> list[dict]:
        """LanguageTool's raw matches for one paragraph, from the first server that answers in time."""
        tried: set[int] = set()
        errors: list[str] = []
        while (remaining := deadline - time.monotonic()) > 0:
            backend = self._acquire(tried)
            if backend is None:
                break
            tried.add(id(backend))
            ok: bool | None = False
            try:
                matches = self._post(backend, params, remaining)
                ok = True
                return [_kept(m) for m in matches]
            except _Refused as e:
                ok = None  # the server is fine; the text is not one it takes
                raise CheckUnavailable(str(e)) from None
            except (requests.RequestException, OSError, ValueError) as e:
                errors.append(f"{backend.url}: {_short(e)}")
            finally:
                self._release(backend, ok)
        if errors:
            raise CheckUnavailable(f"LanguageTool did not answer: {'; '.join(errors)}")
        if time.monotonic() >= deadline:
            raise CheckUnavailable(f"LanguageTool did not answer within {self.timeout:g} s")
        raise CheckUnavailable(self._why_none_usable())

    def _why_none_usable(self) -> str:
        own = [b for b in self.backends if b.server is not None and not b.server.ready()]
        if own and len(own) == len(self.backends):
            return f"LanguageTool at {own[0].url} is not running; it is being restarted"
        return f"no LanguageTool server answers now ({', '.join(b.url for b in self.backends)}); retrying later"

    # -- the check ---------------------------------------------------------------------------------
    def check(self, text: str, language: str, *, disabled_rules: tuple[str, ...] | list[str] = (),
              enabled_rules: tuple[str, ...] | list[str] = ()) -> list[LTMatch]:
        """language: a LanguageTool code (ru-RU, en-US). Matches in text order, offsets into `text`."""
        deadline = time.monotonic() + self.timeout
        disabled, enabled = tuple(disabled_rules), tuple(enabled_rules)
        parts = paragraphs(text)
        keys = [cache_key(self.namespace, language, disabled, enabled, p) for _, p in parts]
        found: dict[str, list[dict]] = {}
        for key in set(keys):
            if (cached := self.cache.get(key)) is not None:
                found[key] = cached
        missing = {key: p for key, (_, p) in zip(keys, parts) if key not in found}
        if missing:
            found.update(self._fetch(missing, language, disabled, enabled, deadline))
        matches: list[LTMatch] = []
        for key, (start, paragraph) in zip(keys, parts):
            to_index = utf16_to_index(paragraph)
            matches.extend(_match(m, to_index, start) for m in found[key])
        return matches

    def _fetch(self, missing: dict[str, str], language: str, disabled: tuple[str, ...], enabled: tuple[str, ...],
               deadline: float) -> dict[str, list[dict]]:
        """Sends the paragraphs not cached, at once (the servers check them in parallel), and caches the answers."""
        def params(paragraph: str) -> dict:
            return {"text": paragraph, "language": language, **rule_parameters(disabled, enabled)}

        keys = list(missing)
        if len(keys) == 1:  # the common re-check: no thread hop
            answers = [self._check_paragraph(params(missing[keys[0]]), deadline)]
        else:
            futures = [self._senders.submit(self._check_paragraph, params(missing[k]), deadline) for k in keys]
            answers = [f.result() for f in futures]  # the first CheckUnavailable goes up
        with self._lock:
            self.requests_sent += len(keys)
        for key, answer in zip(keys, answers):
            self.cache.put(key, answer)
        return dict(zip(keys, answers))

    def close(self) -> None:
        for backend in self.backends:
            if backend.server is not None:
                backend.server.stop()
        self._senders.shutdown(wait=False, cancel_futures=True)


def _short(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:300] if str(error).strip() else type(error).__name__


def _kept(m: dict) -> dict:
    """The part of a raw match we use (and cache)."""
    rule = m.get("rule", {})
    return {"offset": m["offset"], "length": m["length"], "rule": {
                "id": rule.get("id", "UNKNOWN"), "category": {"id": rule.get("category", {}).get("id", "")},
                "issueType": rule.get("issueType", "")},
            "message": m.get("message", ""), "shortMessage": m.get("shortMessage", ""),
            "replacements": [{"value": r["value"]} for r in m.get("replacements", []) if "value" in r]}


def _match(m: dict, to_index, shift: int = 0) -> LTMatch:
    start = to_index(m["offset"]) + shift
    end = to_index(m["offset"] + m["length"]) + shift
    rule = m.get("rule", {})
    return LTMatch(start=start, end=end, rule_id=rule.get("id", "UNKNOWN"),
                   category=rule.get("category", {}).get("id", ""), issue_type=rule.get("issueType", ""),
                   message=m.get("message", ""), short_message=m.get("shortMessage", ""),
                   replacements=[r["value"] for r in m.get("replacements", []) if "value" in r])
