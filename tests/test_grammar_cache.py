"""The client's paragraphs and their cache, against a real LanguageTool server (see conftest_lt.py)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from mail_lint.languagetool import LanguageToolClient
from mail_lint.languagetool.cache import PRUNE_EVERY, MemoryCache, SqliteCache, cache_key
from mail_lint.languagetool.client import paragraphs
from mail_lint.languagetool.server import post_check

pytest_plugins = ("conftest_lt",)

DRAFT = ("Мария, добрый день! 👍\nПоставим панели в течении месяца, не смотря на праздники.\n\n"
         "Договор 🚀 подпишем до пятници, по всем вопросам прошу обращатся ко мне.\n\n\n"
         "Цена действительна до конца года, доставка входит в стоимость.")


def spans(text, matches):
    return sorted((m.start, m.end, m.rule_id, text[m.start:m.end]) for m in matches)


def whole_text_spans(url, text, language):
    """What LanguageTool says about the whole text at once, offsets made Python indices by hand."""
    units = [0]
    for ch in text:
        units.append(units[-1] + (2 if ord(ch) >= 0x10000 else 1))
    index = {u: i for i, u in enumerate(units)}
    out = []
    for m in post_check(url, text, language)["matches"]:
        start, end = index[m["offset"]], index[m["offset"] + m["length"]]
        out.append((start, end, m["rule"]["id"], text[start:end]))
    return sorted(out)


def test_paragraphs_are_cut_at_blank_lines_only():
    text = "a\nb\n\nc\n\n\nd"
    assert paragraphs(text) == [(0, "a\nb"), (5, "c"), (9, "d")]
    assert paragraphs("\n\nx\n\n") == [(2, "x")]
    assert paragraphs("") == []


def test_an_edited_draft_sends_only_the_paragraph_that_changed_and_spans_stay_exact(lt_server):
    client = LanguageToolClient(lt_server.url, timeout=60)
    first = client.check(DRAFT, "ru-RU")
    assert client.requests_sent == 3
    assert spans(DRAFT, first) == whole_text_spans(lt_server.url, DRAFT, "ru-RU")
    assert {"в течении месяца", "пятници", "обращатся"} <= {s[3] for s in spans(DRAFT, first)}

    edited = DRAFT.replace("до конца года", "до конца месяца")  # one word, in the last paragraph
    again = client.check(edited, "ru-RU")
    assert client.requests_sent == 4  # only the edited paragraph went to LanguageTool
    assert spans(edited, again) == whole_text_spans(lt_server.url, edited, "ru-RU")

    moved = "Добрый день!\n\n" + DRAFT  # every paragraph moves: the cached answers follow their text
    assert spans(moved, client.check(moved, "ru-RU")) == whole_text_spans(lt_server.url, moved, "ru-RU")
    assert client.requests_sent == 5


def test_the_rule_selection_is_part_of_the_key(lt_server):
    client = LanguageToolClient(lt_server.url, timeout=60)
    text = "Hi Mary,\nThe price is  valid for 2-3 weeks."
    assert client.check(text, "en-US", disabled_rules=["WHITESPACE_RULE", "CONSECUTIVE_SPACES", "HYPHEN_TO_EN"]) == []
    names = {m.rule_id for m in client.check(text, "en-US")}
    assert {"CONSECUTIVE_SPACES", "HYPHEN_TO_EN"} <= names
    assert cache_key("v", "en-US", ("A", "B"), (), text) == cache_key("v", "en-US", ("B", "A"), (), text)
    assert cache_key("v", "en-US", (), (), text) != cache_key("v", "ru-RU", (), (), text)


def test_the_cache_file_is_shared_by_the_processes_of_the_service(lt_server, tmp_path, closed_port_url):
    """A paragraph one process checked is answered in another from the file, with no server at all."""
    path = tmp_path / "results.sqlite3"
    client = LanguageToolClient(lt_server.url, timeout=60, cache=SqliteCache(path), namespace="test")
    expected = spans(DRAFT, client.check(DRAFT, "ru-RU"))
    script = textwrap.dedent(f"""
        import json, sys
        from mail_lint.languagetool import LanguageToolClient
        from mail_lint.languagetool.cache import SqliteCache
        client = LanguageToolClient({closed_port_url!r}, timeout=5, cache=SqliteCache(sys.argv[1]), namespace="test")
        text = sys.stdin.read()
        print(json.dumps(sorted((m.start, m.end, m.rule_id, text[m.start:m.end]) for m in client.check(text, "ru-RU"))))
    """)
    other = subprocess.run([sys.executable, "-c", script, str(path)], input=DRAFT, capture_output=True, text=True,
                           timeout=60)
    assert other.returncode == 0, other.stderr
    assert [tuple(s) for s in json.loads(other.stdout)] == expected
    assert path.stat().st_mode & 0o077 == 0, "the cache holds mail text: for its owner only"


def test_the_caches_are_bounded(tmp_path):
    cache = SqliteCache(tmp_path / "c.sqlite3", max_entries=10)
    for n in range(PRUNE_EVERY + 100):
        cache.put(f"k{n}", [{"n": n}])
    assert len(cache) <= 10 + 100  # pruned at the last multiple of PRUNE_EVERY
    cache.prune()
    assert len(cache) == 10 and cache.get(f"k{PRUNE_EVERY + 99}") == [{"n": PRUNE_EVERY + 99}]
    assert cache.get("k0") is None

    memory = MemoryCache(max_entries=3)
    for n in range(5):
        memory.put(str(n), [])
    assert memory.get("0") is None and memory.get("4") == []


def test_an_unusable_cache_file_falls_back_to_memory(tmp_path, monkeypatch):
    from mail_lint.languagetool.cache import open_cache
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MAIL_LINT_LT_CACHE", str(blocker / "results.sqlite3"))
    assert isinstance(open_cache(tmp_path), MemoryCache)
    monkeypatch.setenv("MAIL_LINT_LT_CACHE", "off")
    assert isinstance(open_cache(tmp_path), MemoryCache)
