"""The digest's numbers, aggregated in SQL from the store: one ISO week, per manager and for the team.

The JSON this returns is a contract (issue 7, `GET /v1/digest`): `week`, `timezone`, `managers`
(each with `email, name, emails, mean_score, change, pass_rate, top_rules, repeated, best, worst`)
and `team` (`emails, mean_score, change`). Extra keys (series for the chart, links, fixed rules...)
serve the renderers and may be relied on too, but are not part of the contract.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Select, case, func, select

from mail_lint.store import MessageRow, Store, VerdictRow, VerdictRule

from .weeks import IsoWeek

M, V, R = MessageRow, VerdictRow, VerdictRule


@dataclass
class _Tally:
    """Running totals of one manager (or the team) in one week."""
    emails: int = 0
    score_sum: int = 0
    passed: int = 0

    def add(self, emails: int, score_sum: int, passed: int) -> None:
        self.emails += emails
        self.score_sum += score_sum
        self.passed += passed

    @property
    def mean(self) -> float | None:
        return round(self.score_sum / self.emails, 1) if self.emails else None

    @property
    def pass_rate(self) -> float | None:
        return round(self.passed / self.emails, 3) if self.emails else None


@dataclass
class _Manager:
    email: str
    name: str = ""
    weeks: dict[int, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    rules: Counter[str] = field(default_factory=Counter)  # rule name -> emails it fired in
    best: tuple[int, int, str] | None = None  # (score, verdict id, subject)
    worst: tuple[int, int, str] | None = None


def compute_digest(store: Store, config: Any, week: IsoWeek) -> dict:
    """The head's digest for `week`: every manager who sent mail in it, and the team."""
    tz = config.timezone
    options = config.section("digest")
    span = max(options["weeks_in_chart"], 2)  # the previous week is needed for `change` anyway
    window = [week.shift(k - span + 1) for k in range(span)]  # oldest first, `week` last
    bounds = [w.start(tz) for w in window] + [week.end(tz)]
    current, previous = span - 1, span - 2
    week_start = bounds[current]

    def scoped(query: Select, since: datetime, until: datetime | None) -> Select:
        query = query.where(M.date >= since, M.sender != "", M.source.in_(options["sources"]))
        return query.where(M.date < until) if until is not None else query

    # Which week of the window each message falls in: boundaries are UTC instants of local midnights.
    # (A subquery, so GROUP BY names the bucket instead of repeating an expression with parameters.)
    bucket = case(*[(M.date < bound, i) for i, bound in enumerate(bounds[1:])], else_=current)
    rows = scoped(select(M.sender, bucket.label("bucket"), V.score, case((V.passed, 1), else_=0).label("ok"),
                         M.sender_name).select_from(M).join(V, V.message_pk == M.id),
                  bounds[0], bounds[-1]).subquery()
    weekly = (select(rows.c.sender, rows.c.bucket, func.count(), func.sum(rows.c.score), func.sum(rows.c.ok),
                     func.max(rows.c.sender_name)).group_by(rows.c.sender, rows.c.bucket))
    this_week = scoped(select(M.sender, V.id, V.score, M.subject).select_from(M)
                       .join(V, V.message_pk == M.id), week_start, bounds[-1])
    fired = scoped(select(M.sender, R.name, func.count()).select_from(M).join(V, V.message_pk == M.id)
                   .join(R, R.verdict_id == V.id), week_start, bounds[-1]).group_by(M.sender, R.name)

    managers: dict[str, _Manager] = {}
    with store.session() as session:
        for sender, index, emails, score_sum, passed, name in session.execute(weekly):
            manager = managers.setdefault(sender, _Manager(sender))
            manager.weeks[index].add(emails, int(score_sum or 0), int(passed or 0))  # PostgreSQL sums are Decimal
            if name and (index == current or not manager.name):
                manager.name = name
        for sender, verdict_id, score, subject in session.execute(this_week):
            _note_extremes(managers[sender], verdict_id, score, subject)
        for sender, name, emails in session.execute(fired):
            managers[sender].rules[name] = emails
        active = sorted(s for s, m in managers.items() if m.weeks[current].emails)
        earlier = _earlier_rules(session, active, bounds[previous], week_start, options["sources"])

    rows = [_manager_json(managers[s], current, window, earlier.get(s, {}), options) for s in active]
    _order(rows, options["rank_managers"])
    return {
        "week": str(week),
        "timezone": str(tz),
        "start": week_start.isoformat(),
        "end": bounds[-1].isoformat(),
        "ranked": options["rank_managers"],
        "managers": rows,
        "team": _team_json(managers.values(), current, window, options),
        # Mail the watcher saw that week and did not lint, by kind of reason (recorded when it saw it).
        "skipped": _skipped_json(store.skipped_counts(week_start, bounds[-1])),
    }


def _skipped_json(by_kind: dict[str, int]) -> dict:
    return {"total": sum(by_kind.values()), "by_kind": by_kind}


def private_digest(digest: dict, email: str) -> dict | None:
    """One manager's own numbers and nothing about anyone else; None when they sent no mail that week."""
    email = email.strip().lower()
    mine = [m for m in digest["managers"] if m["email"] == email]
    if not mine:
        return None
    own = {k: v for k, v in mine[0].items() if k != "rank"}
    return {**{k: digest[k] for k in ("week", "timezone", "start", "end")},
            "private": True, "recipient": email, "ranked": False, "managers": [own], "team": None}


# -- pieces ---------------------------------------------------------------------------------------

def _note_extremes(manager: _Manager, verdict_id: int, score: int, subject: str) -> None:
    # Ties: the earliest stored email is the best, and also the worst (stable across runs).
    if manager.best is None or (score, -verdict_id) > (manager.best[0], -manager.best[1]):
        manager.best = (score, verdict_id, subject)
    if manager.worst is None or (score, verdict_id) < (manager.worst[0], manager.worst[1]):
        manager.worst = (score, verdict_id, subject)


def _earlier_rules(session: Any, senders: list[str], previous_start: datetime, week_start: datetime,
                   sources: list[str]) -> dict[str, dict[str, bool]]:
    """Per sender, the rules that fired in any week before this one: name -> fired in the previous week.

    "Shown" means it was in one of their verdicts in an earlier week, so any of these that fires
    again this week is a repeated mistake; one of last week's that does not is fixed.
    """
    out: dict[str, dict[str, bool]] = defaultdict(dict)
    for chunk in (senders[i:i + 500] for i in range(0, len(senders), 500)):  # bound-parameter limits
        query = (select(M.sender, R.name, func.max(case((M.date >= previous_start, 1), else_=0)))
                 .select_from(M).join(V, V.message_pk == M.id).join(R, R.verdict_id == V.id)
                 .where(M.date < week_start, M.sender.in_(chunk), M.source.in_(sources))
                 .group_by(M.sender, R.name))
        for sender, name, last_week in session.execute(query):
            out[sender][name] = bool(last_week)
    return out


def _change(now: float | None, before: float | None) -> float | None:
    # From the rounded means, so the numbers a reader sees add up.
    return round(now - before, 1) if now is not None and before is not None else None


def _series(weeks: dict[int, _Tally], window: list[IsoWeek], shown: int) -> list[dict]:
    return [{"week": str(w), "emails": weeks[i].emails if i in weeks else 0,
             "mean_score": weeks[i].mean if i in weeks else None}
            for i, w in enumerate(window)][-shown:]


def _top(rules: Counter[str], limit: int) -> list[tuple[str, int]]:
    return sorted(rules.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _link(options: dict, verdict_id: int) -> str | None:
    base = options["base_url"].rstrip("/")
    return f"{base}/v1/verdicts/{verdict_id}?format=html" if base else None


def _manager_json(m: _Manager, current: int, window: list[IsoWeek], earlier: dict[str, bool],
                  options: dict) -> dict:
    now, before = m.weeks[current], m.weeks.get(current - 1, _Tally())
    top = _top(m.rules, options["top_rules"])
    assert m.best is not None and m.worst is not None  # every active manager has a verdict this week
    return {
        "email": m.email,
        "name": m.name,
        "emails": now.emails,
        "mean_score": now.mean,
        "change": _change(now.mean, before.mean),
        "pass_rate": now.pass_rate,
        "top_rules": [name for name, _ in top],
        "repeated": sorted(name for name in m.rules if name in earlier),
        "best": m.best[1],
        "worst": m.worst[1],
        # Beyond the contract: what the renderers show.
        "rule_counts": dict(top),
        "fixed": sorted(name for name, last_week in earlier.items() if last_week and name not in m.rules),
        "best_score": m.best[0], "best_subject": m.best[2], "best_url": _link(options, m.best[1]),
        "worst_score": m.worst[0], "worst_subject": m.worst[2], "worst_url": _link(options, m.worst[1]),
        "series": _series(m.weeks, window, options["weeks_in_chart"]),
    }


def _team_json(managers: Any, current: int, window: list[IsoWeek], options: dict) -> dict:
    weeks: dict[int, _Tally] = defaultdict(_Tally)
    rules: Counter[str] = Counter()
    for m in managers:
        for index, tally in m.weeks.items():
            weeks[index].add(tally.emails, tally.score_sum, tally.passed)
        rules.update(m.rules)
    now, before = weeks[current], weeks.get(current - 1, _Tally())
    top = _top(rules, options["top_rules"])
    return {
        "emails": now.emails,
        "mean_score": now.mean,
        "change": _change(now.mean, before.mean),
        "pass_rate": now.pass_rate,
        "managers": sum(1 for m in managers if m.weeks[current].emails),
        "top_rules": [name for name, _ in top],
        "rule_counts": dict(top),
        "series": _series(weeks, window, options["weeks_in_chart"]),
    }


def _order(rows: list[dict], ranked: bool) -> None:
    """Ranked: best mean score first, numbered. Otherwise alphabetical, so no order implies a ranking."""
    if ranked:
        rows.sort(key=lambda r: (-r["mean_score"], -r["emails"], r["email"]))
        for rank, row in enumerate(rows, 1):
            row["rank"] = rank
    else:
        rows.sort(key=lambda r: ((r["name"] or r["email"]).casefold(), r["email"]))


def digest_json(store: Store, config: Any, week: str | IsoWeek | None = None,
                now: datetime | None = None) -> dict:
    """The digest JSON for `week` ("2025-W49"; default: the last complete week in the configured zone).

    For `GET /v1/digest?week=...`; a bad week string raises `WeekError` (a ValueError, one line).
    """
    if isinstance(week, str):
        week = IsoWeek.parse(week)
    if week is None:
        week = IsoWeek.last_complete(now or datetime.now(timezone.utc), config.timezone)
    return compute_digest(store, config, week)
