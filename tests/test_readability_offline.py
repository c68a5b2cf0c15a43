"""Readability works with the network unreachable: nothing downloads at run time.

Each test runs a fresh interpreter whose `sitecustomize` makes every socket connection and DNS lookup fail
(and counts the attempts), with NLTK pointed at an empty data directory, so a download would be needed.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

NO_NETWORK = '''
import socket, sys
ATTEMPTS = []
def _refuse(*args, **kwargs):
    ATTEMPTS.append(repr(args[:2]))
    raise OSError("network disabled by the test")
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
sys.network_attempts = ATTEMPTS
'''

RU = ("Мария, добрый день! Направляю коммерческое предложение на сорок солнечных панелей. "
      "Подтвердите, пожалуйста, до пятницы, подходит ли вам срок монтажа.")
EN = ("Hi John, here is the quote for forty solar panels. "
      "Please confirm by Friday whether the installation date works for you.")


def _run_offline(code: str, tmp_path: Path) -> dict:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(NO_NETWORK, encoding="utf-8")
    empty_nltk = tmp_path / "nltk_data"
    empty_nltk.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(REPO)]), "NLTK_DATA": str(empty_nltk),
           "HOME": str(tmp_path)}  # no ~/nltk_data either
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def test_readability_with_network_unreachable(tmp_path):
    code = f'''
import json, sys
from mail_lint.rules.support.readability import flesch_reading_ease
print(json.dumps({{"ru": flesch_reading_ease({RU!r}, "ru"), "en": flesch_reading_ease({EN!r}, "en"),
                  "attempts": len(sys.network_attempts)}}))
'''
    out = _run_offline(code, tmp_path)
    assert out["attempts"] == 0
    for lang in ("ru", "en"):
        assert isinstance(out[lang], float), out
        assert 0 < out[lang] < 121  # Flesch for plain prose; the ceiling of the formula is about 121
        assert out[lang] == round(out[lang], 1)


def test_plain_textstat_would_reach_for_the_network(tmp_path):
    """The control: without rules.support.readability, textstat's English path tries to download CMUdict."""
    code = f'''
import json, sys
import textstat
textstat.set_lang("en")
try:
    value, error = textstat.flesch_reading_ease({EN!r}), None
except Exception as e:
    value, error = None, type(e).__name__
print(json.dumps({{"value": value, "error": error, "attempts": len(sys.network_attempts)}}))
'''
    out = _run_offline(code, tmp_path)
    assert out["attempts"] > 0 or out["error"], out


def test_verdict_carries_readability_offline(tmp_path):
    code = f'''
import json, sys
from mail_lint.config import validate
from mail_lint.engine import lint
from mail_lint.message import from_draft
stats = {{lang: lint(from_draft(text=text), validate({{}})).stats["readability"]
         for lang, text in (("ru", {RU!r}), ("en", {EN!r}))}}
print(json.dumps({{**stats, "attempts": len(sys.network_attempts)}}))
'''
    out = _run_offline(code, tmp_path)
    assert out["attempts"] == 0
    assert isinstance(out["ru"], float) and isinstance(out["en"], float)
