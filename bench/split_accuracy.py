"""Exact-match accuracy of the greeting/body/signature/quote split on public gold corpora.

    python bench/split_accuracy.py [-v]

Corpora (read in place, never copied): ../shared/corpora, or $MAIL_LINT_CORPORA.
- discourse-email-reply-trimmer: emails/F vs trimmed/F. The gold is the reply with quoted
  history, attribution lines, "-- " signatures and mobile footers removed, but with sign-offs
  and names kept ("Thanks,\\nSome One"). So the predicted reply is our greeting + body +
  signature, minus the signature's footer (the "-- " block, mobile footer or disclaimer).
- talon text_quotation_cases.json: the gold is the reply with the quote removed and the whole
  signature kept; the same predicted reply is compared.
Both compare after .strip() and CRLF -> LF, as the corpora READMEs say.

Also printed, outside the goal: talon's 12 client .eml replies and 9 HTML replies, and the
crisp Russian Gmail reply, whose gold is everything the author wrote, footer included
(the HTML ones compare with all whitespace removed, as talon's tests do).
"""
from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import re  # noqa: E402

from mail_lint.html_text import html_to_text  # noqa: E402
from mail_lint.message import looks_like_rfc822, parse  # noqa: E402
from mail_lint.parts import split_parts  # noqa: E402
from support.corpora import corpora_dir  # noqa: E402

LANGUAGES = {"russian": "ru", "ukrainian": "uk", "german": "de", "french": "fr", "dutch": "nl",
             "polish": "pl", "spanish": "es", "italian": "it", "portuguese": "pt", "swedish": "sv",
             "norwegian": "no", "danish": "da", "chinese": "zh", "vietnamese": "vi"}




def language_of(name: str) -> str:
    return next((code for word, code in LANGUAGES.items() if word in name), "en")


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def email_text(raw: bytes) -> str:
    """The discourse inputs are message bodies; a full .eml goes through the real parser."""
    if looks_like_rfc822(raw):
        return parse(raw).text
    return raw.decode("utf-8", errors="replace")


def predicted_reply(text: str) -> str:
    """What the author wrote, as the gold sees it: greeting, body and sign-off, no footer."""
    text = normalise(text)
    parts = split_parts(text)
    signature = parts.signature
    if signature and parts.footer:  # keep the sign-off, drop the footer below it
        signature = (signature[0], parts.footer[0]) if parts.footer[0] > signature[0] else None
    spans = [s for s in (parts.greeting, parts.body, signature) if s]
    if not spans:
        return ""
    return normalise(text[min(s[0] for s in spans):max(s[1] for s in spans)])


def predicted_new_text(text: str, quote_hint: int | None = None) -> str:
    """Everything the author wrote: greeting, body and the whole signature."""
    text = normalise(text)
    parts = split_parts(text, quote_hint)
    spans = [s for s in (parts.greeting, parts.body, parts.signature) if s]
    return normalise(text[min(s[0] for s in spans):max(s[1] for s in spans)]) if spans else ""


def fixture_cases(root: Path):
    """(id, language, predicted, gold) for the client fixtures outside the goal."""
    replies = root / "talon" / "fixtures" / "standard_replies"
    for path in sorted(replies.glob("*.eml")):
        gold_file = replies / f"{path.stem}_reply_text"
        gold = gold_file.read_text(encoding="utf-8") if gold_file.exists() else "Hello"
        yield f"talon-eml/{path.stem}", "en", predicted_new_text(parse(path.read_bytes()).text), normalise(gold)
    html_gold = re.sub(r"\s", "", "Hi. I am fine.\n\nThanks,\nAlex")
    for path in sorted((root / "talon" / "fixtures" / "html_replies").glob("*.html")):
        converted = html_to_text(path.read_text(encoding="utf-8", errors="replace"))
        got = re.sub(r"\s", "", predicted_new_text(converted.text, converted.quote_start))
        yield f"talon-html/{path.stem}", "en", got, html_gold
    crisp = root / "russian-charset-samples" / "crisp-email-reply-parser" / "email_russian.txt"
    if crisp.exists():
        text = crisp.read_text(encoding="utf-8")
        gold = text[:text.index("ср, 30 апр.")]  # the README: the reply is the 5 lines above
        yield "crisp/email_russian", "ru", predicted_new_text(text), normalise(gold)


def signature_cases(root: Path):
    """(id, (text, signature) we find, talon's gold) for bruteforce_signature_cases.json."""
    for case in json.loads((root / "talon" / "bruteforce_signature_cases.json").read_text(encoding="utf-8")):
        text = case["input"]
        parts = split_parts(text)
        spans = [s for s in (parts.greeting, parts.body) if s]
        prose = text[min(s[0] for s in spans):max(s[1] for s in spans)].strip() if spans else ""
        signature = text[parts.signature[0]:parts.signature[1]] if parts.signature else None
        gold_text, gold_signature = case["expected"]
        yield f"talon/{case['id']}", (prose, signature), (gold_text.strip(), gold_signature)


def discourse_cases(root: Path):
    folder = root / "discourse-email-reply-trimmer"
    for path in sorted((folder / "emails").glob("*.txt")):
        gold = (folder / "trimmed" / path.name).read_text(encoding="utf-8")
        yield f"discourse/{path.stem}", language_of(path.stem), email_text(path.read_bytes()), gold


def talon_cases(root: Path):
    for case in json.loads((root / "talon" / "text_quotation_cases.json").read_text(encoding="utf-8")):
        yield f"talon/{case['id']}", language_of(case["id"]), case["input"], case["expected"]


def main(verbose: bool) -> int:
    root = corpora_dir()
    if root is None:
        print("corpora not found: set MAIL_LINT_CORPORA or put them at ../shared/corpora")
        return 2
    cases = list(discourse_cases(root)) + list(talon_cases(root))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    started = time.perf_counter()
    for case_id, lang, text, gold in cases:
        ok = predicted_reply(text) == normalise(gold)
        corpus = case_id.split("/")[0]
        for key in ("overall", f"corpus {corpus}", f"lang {lang}"):
            totals[key][0] += ok
            totals[key][1] += 1
        if not ok:
            misses.append((case_id, text, gold))
    elapsed = time.perf_counter() - started
    for key in sorted(totals, key=lambda k: (k != "overall", not k.startswith("corpus"), k)):
        hit, n = totals[key]
        print(f"{key:20s} {hit:3d}/{n:<3d} {100 * hit / n:5.1f}%")
    print(f"cases {len(cases)}, split in {elapsed * 1000:.1f} ms ({len(cases) / elapsed:.0f} messages/s)")
    print("misses:", ", ".join(m[0] for m in misses) or "none")
    extra = list(fixture_cases(root))
    extra_misses = [case_id for case_id, _, got, gold in extra if got != gold]
    print(f"\noutside the goal: client fixtures (.eml, HTML, crisp ru) "
          f"{len(extra) - len(extra_misses)}/{len(extra)}; misses: {', '.join(extra_misses) or 'none'}")
    signatures = list(signature_cases(root))
    sig_misses = [case_id for case_id, got, gold in signatures if got != gold]
    print(f"outside the goal: talon signature cases (text, signature) {len(signatures) - len(sig_misses)}/"
          f"{len(signatures)}; misses: {', '.join(sig_misses) or 'none'}")
    if verbose:
        for case_id, text, gold in misses:
            print(f"\n===== {case_id}\n--- predicted:\n{predicted_reply(text)}\n--- gold:\n{normalise(gold)}")
    return 0


if __name__ == "__main__":
    sys.exit(main("-v" in sys.argv[1:]))
