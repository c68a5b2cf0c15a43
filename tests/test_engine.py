"""The engine: findings with line/column, scores, passed, rule selection, and a crashing check contained."""
from __future__ import annotations

import pytest

import mail_lint.engine as engine
from mail_lint.checks import Check, CheckResult, Hit, Rule
from mail_lint.config import validate
from mail_lint.message import from_draft

TEXT = "Мария, добрый день!\n\nПришлите счёт.\n"
RULES = (Rule("EM991", "demo.first", "warning", "s", "w", "b", "g"),
         Rule("EM992", "demo.second", "error", "s", "w", "b", "g"))


def demo_check(hits=None, raises=None, **result) -> Check:
    def run(message, ctx):
        if raises:
            raise raises
        return CheckResult([Hit(n, s, e, "msg") for n, s, e in hits or []], **result)
    return Check(name="demo", title=("Демо", "Demo"), doc="demo", rules=RULES, run=run)


@pytest.fixture
def only(monkeypatch):
    """Replace the loaded checks with the given ones."""
    def use(*checks):
        monkeypatch.setattr(engine, "load_checks", lambda: checks)
    return use


def lint(config=None):
    return engine.lint(from_draft(text=TEXT, subject="Счёт"), validate(config or {}))


def test_line_and_column_come_from_the_span(only):
    start = TEXT.index("Пришлите")
    only(demo_check([("demo.first", start, start + 8)]))
    finding = lint().findings[0]
    assert (finding.line, finding.column, finding.code) == (3, 1, "EM991")


def test_scores_and_passed(only):
    only(demo_check([("demo.first", 0, 5), ("demo.first", 6, 8)]))
    verdict = lint()
    assert verdict.checks["demo"] == {"score": 60, "status": "warn"} and verdict.score == 60 and verdict.passed
    only(demo_check([("demo.second", 0, 5)]))
    verdict = lint()
    assert verdict.checks["demo"]["status"] == "fail" and not verdict.passed


def test_disable_by_prefix_and_enable_by_name(only):
    only(demo_check([("demo.first", 0, 5), ("demo.second", 0, 5)]))
    assert {f.name for f in lint({"rules": {"disable": ["demo.second"]}}).findings} == {"demo.first"}
    assert lint({"rules": {"disable": ["demo"]}}).checks == {}
    names = {f.name for f in lint({"rules": {"disable": ["demo"], "enable": ["demo.second"]}}).findings}
    assert names == {"demo.second"}


def test_severity_override_decides_passed(only):
    only(demo_check([("demo.second", 0, 5)]))
    verdict = lint({"rules": {"severity": {"demo.second": "suggestion"}}})
    assert verdict.findings[0].severity == "suggestion" and verdict.passed


def test_a_crashing_check_becomes_one_internal_finding(only, caplog):
    only(demo_check(raises=ZeroDivisionError("boom")), demo_check([("demo.first", 0, 1)]).__class__(
        name="other", title=("Другая", "Other"), doc="d", rules=(Rule("EM993", "other.x", "warning", "s", "w", "b", "g"),),
        run=lambda m, c: CheckResult([Hit("other.x", 0, 1, "fine")])))
    verdict = lint()
    internal = [f for f in verdict.findings if f.name == "internal.demo"]
    assert len(internal) == 1 and "ZeroDivisionError: boom" in internal[0].message
    assert verdict.checks["demo"]["status"] == "unavailable"
    assert verdict.checks["other"]["status"] == "warn", "the other checks still ran"
    logged = [r for r in caplog.records if r.name == "mail_lint.engine"]
    assert len(logged) == 1 and "demo" in logged[0].getMessage(), "the crash is logged for the operator"
    assert logged[0].exc_info and logged[0].exc_info[0] is ZeroDivisionError, "with its traceback"


def test_spans_are_clamped_into_the_text(only):
    only(demo_check([("demo.first", 5, 10_000)]))
    finding = lint().findings[0]
    assert finding.end == len(TEXT)


def test_an_undeclared_rule_name_is_an_internal_error(only):
    only(demo_check([("demo.unknown", 0, 1)]))
    assert [f.name for f in lint().findings] == ["internal.demo"]


def test_a_check_fills_the_stats_it_measures_and_sets_its_own_score(only):
    only(demo_check([("demo.first", 0, 1)], score=90.0, stats={"readability": 61.5}))
    verdict = lint()
    assert verdict.stats["readability"] == 61.5 and verdict.stats["words"] > 0
    assert verdict.checks["demo"]["score"] == 70, "its own 90, less 20 for the warning"


@pytest.mark.parametrize("bad, why", [({"stats": {"words": 1}}, "words"), ({"returns": [Hit("demo.first", 0, 1, "m")]}, "list")])
def test_a_check_that_breaks_the_contract_is_an_internal_finding(only, bad, why):
    def run(message, ctx):
        return bad["returns"] if "returns" in bad else CheckResult(stats=bad["stats"])
    only(Check(name="demo", title=("Демо", "Demo"), doc="demo", rules=RULES, run=run))
    (finding,) = lint().findings
    assert finding.name == "internal.demo" and why in finding.message


def test_the_engine_tells_a_check_which_rules_are_enabled(only):
    seen = {}

    def run(message, ctx):
        seen.update({name: ctx.rule_enabled(name) for name in ("demo.first", "demo.second")})
        return CheckResult()
    only(Check(name="demo", title=("Демо", "Demo"), doc="demo", rules=RULES, run=run))
    lint({"rules": {"disable": ["demo.second"]}})
    assert seen == {"demo.first": True, "demo.second": False}
