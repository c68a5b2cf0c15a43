"""Every rule is documented, codes are unique, and the README's catalogue is the generated one."""
from pathlib import Path

from mail_lint.catalogue import BEGIN, CONFIG_BEGIN, CONFIG_END, END, catalogue, catalogue_markdown, defaults_block
from mail_lint.checks import SEVERITIES

README = Path(__file__).parent.parent / "README.md"


def test_codes_and_names_are_unique_and_documented():
    rules = [r for c in catalogue()["checks"] for r in c["rules"]]
    assert len({r["code"] for r in rules}) == len(rules)
    assert len({r["name"] for r in rules}) == len(rules)
    for r in rules:
        assert r["severity"] in SEVERITIES
        assert r["summary"] and r["why"] and r["bad"] and r["better"], r["name"]
        assert r["label"]["ru"] and r["label"]["en"], r["name"]  # what the page and the digest show
    for c in catalogue()["checks"]:
        assert c["doc"] and c["title"]["ru"] and c["title"]["en"], c["name"]


def test_readme_catalogue_is_up_to_date():
    text = README.read_text(encoding="utf-8")
    generated = text[text.index(BEGIN) + len(BEGIN):text.index(END)]
    assert generated == "\n" + catalogue_markdown(), "README rule catalogue is stale: run `make docs`"


def test_readme_config_defaults_are_up_to_date():
    text = README.read_text(encoding="utf-8")
    generated = text[text.index(CONFIG_BEGIN) + len(CONFIG_BEGIN):text.index(CONFIG_END)]
    assert generated == "\n" + defaults_block(), "README config defaults are stale: run `make docs`"
