"""Every file of the MIME robustness corpora yields a message or a one-line UnusableInput, fast,
and the Russian charset samples decode to the right Cyrillic."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from mail_lint.errors import UnusableInput
from mail_lint.message import Message, read_input
from support.corpora import corpora_dir

REPO = Path(__file__).resolve().parent.parent
CORPORA = ("flanker-mime-fixtures", "mail-gem-fixtures", "russian-charset-samples")
PER_FILE_SECONDS = 2.0  # the robustness bound for one file, not a benchmark




def corpus_files() -> list[Path]:
    root = corpora_dir()
    if root is None:
        return []
    return sorted(p for name in CORPORA if (root / name).is_dir()
                  for p in (root / name).rglob("*") if p.is_file() and p.name != "README.md")


FILES = corpus_files()
needs_corpora = pytest.mark.skipif(
    not FILES, reason="../shared/corpora (flanker, mail gem, Russian samples) is absent: it ships "
                      "with the team's workspace, not with the repo")


def load(path: Path) -> tuple[Message | None, str | None, float]:
    """The message or the unusable reason, and the seconds it took."""
    data = path.read_bytes()
    start = time.perf_counter()
    try:
        return read_input(data), None, time.perf_counter() - start
    except UnusableInput as err:
        return None, str(err), time.perf_counter() - start


@needs_corpora
@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_file_yields_a_message_or_a_one_line_reason(path):
    message, reason, seconds = load(path)  # any other exception fails the test
    assert seconds < PER_FILE_SECONDS, f"{path.name} took {seconds:.2f} s"
    if message is None:
        assert reason and "\n" not in reason
    else:
        assert isinstance(message, Message)
        assert message.size == path.stat().st_size
        for value in (message.text, message.subject, *message.headers.values()):
            value.encode("utf-8")  # no lone surrogates left from raw 8-bit bytes


@needs_corpora
@pytest.mark.parametrize("name", ["sample04.eml", "sample05.eml"])  # koi8-r, windows-1251
def test_russian_charset_samples_decode_to_cyrillic(name):
    path = corpora_dir() / "russian-charset-samples" / "mozilla-comm-central" / name
    message, _reason, _seconds = load(path)
    assert message.subject == "Алфавит"
    assert message.text.strip() == "Вопрос"


@needs_corpora
def test_russian_gmail_reply_decodes():
    path = corpora_dir() / "russian-charset-samples" / "crisp-email-reply-parser" / "email_russian.txt"
    message, _reason, _seconds = load(path)
    assert "ср, 30 апр. 2025 г. в 15:19, John Doe <doe@example.com>:" in message.text
    assert message.text.rstrip().endswith("привет")


@needs_corpora
@pytest.mark.parametrize("relative,subject,words", [
    ("flanker-mime-fixtures/bilingual-simple.eml", "Simple text. How are you? Как ты поживаешь?",
     ["This line is in English", "А эта линия по-русски."]),
    ("flanker-mime-fixtures/8bitmime.eml", "2 RCPT MIME", ["Превел"]),
])
def test_other_cyrillic_fixtures_decode(relative, subject, words):
    message, _reason, _seconds = load(corpora_dir() / relative)
    assert message.subject == subject
    for word in words:
        assert word in message.text


@needs_corpora
def test_broken_fixtures_still_give_their_text():
    root = corpora_dir() / "flanker-mime-fixtures"
    assert load(root / "missing-final-boundary.eml")[0].text.strip() == "Some body"
    assert "Hi This is a broken message" in load(root / "missing-boundaries.eml")[0].text
    assert load(root / "no-ctype.eml")[0].text.startswith("Hello,\nI'm just testing message parsing")
    endless = load(root / "enclosed-endless.eml")[0]
    assert endless.subject == "Wow" and len(endless.text) < 10_000
    yahoo = load(root / "russian-attachment-yahoo.eml")[0]
    assert yahoo.attachments[0].filename.startswith("Картинка с очень, очень длинным")


# ---------------------------------------------------------------- the same files through the CLI

@needs_corpora
def test_cli_checks_every_file_in_one_run(cli):
    """One `check --format json` over all files: a verdict per usable file, one stderr line per
    unusable one, exit 2 exactly when some file is unusable, and never a traceback."""
    unusable = {str(p) for p in FILES if load(p)[0] is None}
    p = cli("check", "--format", "json", *map(str, FILES))
    assert "Traceback" not in p.stderr
    verdicts = json.loads(p.stdout)
    assert len(verdicts) == len(FILES) - len(unusable)
    assert all(v["schema"] == "mail-lint/verdict@1" for v in verdicts)
    lines = p.stderr.splitlines()
    assert sorted(line.split(": ", 1)[0] for line in lines) == sorted(unusable)
    assert p.returncode in ((2,) if unusable else (0, 1))


@needs_corpora
@pytest.mark.parametrize("relative", [
    "russian-charset-samples/mozilla-comm-central/sample05.eml",  # windows-1251
    "mail-gem-fixtures/sample_output_multipart",                  # an empty file
])
def test_cli_single_file_gives_json_or_one_line_reason(cli, relative):
    path = corpora_dir() / relative
    expect_unusable = load(path)[0] is None
    p = cli("check", "--format", "json", str(path))
    assert "Traceback" not in p.stderr
    if expect_unusable:
        assert p.returncode == 2 and p.stdout == ""
        assert len(p.stderr.strip().splitlines()) == 1
    else:
        assert p.returncode in (0, 1), p.stderr
        verdict = json.loads(p.stdout)
        assert verdict["message"]["subject"] == "Алфавит" and verdict["text"].strip() == "Вопрос"
