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
from sqlalchemy.orm import aliased

from mail_lint.explain import better, excerpt, reading_order
from mail_lint.links import HEAD_READER, expiry, link_secret, verdict_link
from mail_lint.store import MessageRow, Store, VerdictRow, VerdictRule
from mail_lint.store.models import Dismissal

from .weeks import IsoWeek

M, V, R = MessageRow, VerdictRow, VerdictRule
BEST_MIN_EMAILS = 3           # fewer emails than this have no "best" to hold up as an example
COACHING_ITEMS = 3            # problems to coach with, per manager and week
EXCERPT_MAX = 120
SEVERITY_WEIGHT = {"error": 3, "warning": 2, "suggestion": 1}


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
    best: tuple[int, int, str] | None = None  # (score, verdict id, subject), among the emails that passed
    worst: tuple[int, int, str] | None = None
    coaching: list[dict] = field(default_factory=list)


def compute_digest(store: Store, config: Any, week: IsoWeek, mailboxes: list[str] | None = None) -> dict:
    """The head's digest for `week`: every manager who sent mail in it, and the team. With `mailboxes`
    (`[[mailbox]]` names), one team's: the managers whose mail the watcher ever found in those mailboxes
    (all their verdicts count, the add-in's too), their dismissals, and the mail skipped in those mailboxes."""
    tz = config.timezone
    options = config.section("digest")
    links = _Links(options["base_url"].rstrip("/"), link_secret(config) if options["base_url"] else b"",
                   expiry(options["link_days"]))
    span = max(options["weeks_in_chart"], 2)  # the previous week is needed for `change` anyway
    window = [week.shift(k - span + 1) for k in range(span)]  # oldest first, `week` last
    bounds = [w.start(tz) for w in window] + [week.end(tz)]
    current, previous = span - 1, span - 2
    week_start = bounds[current]

    member = aliased(M)  # not the outer query's row: the senders of any message found in the mailboxes
    team = (select(member.sender).where(member.mailbox.in_(mailboxes)).distinct().scalar_subquery()
            if mailboxes is not None else None)

    def scoped(query: Select, since: datetime, until: datetime | None) -> Select:
        query = query.where(M.date >= since, M.sender != "", M.source.in_(options["sources"]))
        if team is not None:
            query = query.where(M.sender.in_(team))
        return query.where(M.date < until) if until is not None else query

    # Which week of the window each message falls in: boundaries are UTC instants of local midnights.
    # (A subquery, so GROUP BY names the bucket instead of repeating an expression with parameters.)
    bucket = case(*[(M.date < bound, i) for i, bound in enumerate(bounds[1:])], else_=current)
    rows = scoped(select(M.sender, bucket.label("bucket"), V.score, case((V.passed, 1), else_=0).label("ok"),
                         M.sender_name).select_from(M).join(V, V.message_pk == M.id),
                  bounds[0], bounds[-1]).subquery()
    weekly = (select(rows.c.sender, rows.c.bucket, func.count(), func.sum(rows.c.score), func.sum(rows.c.ok),
                     func.max(rows.c.sender_name)).group_by(rows.c.sender, rows.c.bucket))
    this_week = scoped(select(M.sender, V.id, V.score, M.subject, V.passed).select_from(M)
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
        for sender, verdict_id, score, subject, passed in session.execute(this_week):
            _note_extremes(managers[sender], verdict_id, score, subject, passed)
        for sender, name, emails in session.execute(fired):
            managers[sender].rules[name] = emails
        findings = dict(session.execute(
            scoped(select(R.name, func.sum(R.count)).select_from(M).join(V, V.message_pk == M.id)
                   .join(R, R.verdict_id == V.id), week_start, bounds[-1]).group_by(R.name)).all())
        dismissals = (select(Dismissal.name, func.count(Dismissal.id))
                      .where(Dismissal.created_at >= week_start, Dismissal.created_at < bounds[-1])
                      .group_by(Dismissal.name))
        if team is not None:
            dismissals = dismissals.where(Dismissal.dismissed_by.in_(team))
        dismissed = dict(session.execute(dismissals).all())
        active = sorted(s for s, m in managers.items() if m.weeks[current].emails)
        earlier = _earlier_rules(session, active, bounds[previous], week_start, options["sources"])
        for sender in active:
            managers[sender].coaching = _coaching(session, sender, managers[sender].rules, earlier.get(sender, {}),
                                                  week_start, bounds[-1], options, links)

    rows = [_manager_json(managers[s], current, window, earlier.get(s, {}), options, links) for s in active]
    _order(rows, options["rank_managers"])
    scope = {"mailboxes": sorted(mailboxes)} if mailboxes is not None else {}
    return {
        "week": str(week),
        "timezone": str(tz),
        "start": week_start.isoformat(),
        "end": bounds[-1].isoformat(),
        "ranked": options["rank_managers"],
        # where the links point and until when (not the secret): private digests re-sign them for their reader
        "links": {"base": links.base, "expires": links.expires},
        "managers": rows,
        "team": _team_json(managers.values(), current, window, options),
        "rules": _false_alarms(findings, dismissed, options["review_share"]),
        # Mail the watcher saw that week and did not lint, by kind of reason (recorded when it saw it).
        "skipped": _skipped_json(store.skipped_counts(week_start, bounds[-1], mailboxes=mailboxes)),
        **scope,  # a team's digest: the `[[mailbox]]` names it covers
    }


def _skipped_json(by_kind: dict[str, int]) -> dict:
    return {"total": sum(by_kind.values()), "by_kind": by_kind}


def private_digest(digest: dict, email: str, secret: bytes | None = None) -> dict | None:
    """One manager's own numbers and nothing about anyone else; None when they sent no mail that week.
    Its links are signed for the manager (`secret`: `mail_lint.links.link_secret`); without the secret
    it has none, so that no link made for the head's eyes goes out in a manager's digest."""
    email = email.strip().lower()
    mine = [m for m in digest["managers"] if m["email"] == email]
    if not mine:
        return None
    own = {k: v for k, v in mine[0].items() if k != "rank"}
    base, expires = (digest.get("links") or {}).get("base", ""), (digest.get("links") or {}).get("expires", 0)
    links = _Links(base if secret else "", secret or b"", expires, reader=email)
    own.update(best_url=links(own["best"]), worst_url=links(own["worst"]),
               coaching=[{**item, "url": links(item["verdict"])} for item in own.get("coaching", [])])
    return {**{k: digest[k] for k in ("week", "timezone", "start", "end")},
            "private": True, "recipient": email, "ranked": False, "managers": [own], "team": None}


# -- pieces ---------------------------------------------------------------------------------------

def _note_extremes(manager: _Manager, verdict_id: int, score: int, subject: str, passed: bool) -> None:
    # Ties: the earliest stored email is the best, and also the worst (stable across runs).
    # The best is an example to follow: only an email that passed can be one.
    if passed and (manager.best is None or (score, -verdict_id) > (manager.best[0], -manager.best[1])):
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


def _coaching(session: Any, sender: str, fired: Counter[str], earlier: dict[str, bool], since: datetime,
              until: datetime, options: dict, links: _Links) -> list[dict]:
    """The problems to talk through with this manager, the weightiest first: repeated ones (seen in an
    earlier week) before new ones, then severity × the emails it was in. Each with one excerpt from the
    manager's own email of this week and the better wording."""
    weights = {}
    examples: dict[str, tuple[int, dict, str]] = {}
    query = (select(V.id, V.text, V.findings).select_from(M).join(V, V.message_pk == M.id)
             .where(M.sender == sender, M.date >= since, M.date < until, M.source.in_(options["sources"]))
             .order_by(M.date.desc(), V.id.desc()))
    for verdict_id, text, findings in session.execute(query):
        for finding in reading_order(findings or []):
            name = finding["name"]
            weights[name] = max(weights.get(name, 0), SEVERITY_WEIGHT.get(finding["severity"], 1))
            if name not in examples and 0 <= finding["start"] < finding["end"] <= len(text or ""):
                examples[name] = (verdict_id, finding, text)  # the latest email's, read first
    ranked = sorted(fired, key=lambda n: (n not in earlier, -weights.get(n, 1) * fired[n], n))
    out = []
    for name in ranked[:COACHING_ITEMS]:
        verdict_id, finding, text = examples.get(name, (None, None, ""))
        out.append({"name": name, "emails": fired[name], "repeated": name in earlier,
                    "severity": finding["severity"] if finding else None,
                    "excerpt": excerpt(text, finding, EXCERPT_MAX) if finding else "",
                    "better": better(finding) if finding else "", "message": finding["message"] if finding else "",
                    # the better wording replaces the excerpt ("→"), or is advice about it ("—")
                    "replaces": bool(finding) and better(finding) in (finding.get("replacements") or []),
                    "verdict": verdict_id, "url": links(verdict_id)})
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


@dataclass(frozen=True)
class _Links:
    """Signed links to annotated verdicts that open in a browser for `reader` until `expires` (mail_lint.links)."""
    base: str
    secret: bytes
    expires: int
    reader: str = HEAD_READER

    def __call__(self, verdict_id: int | None) -> str | None:
        if not (self.base and verdict_id):
            return None
        return verdict_link(self.base, self.secret, verdict_id, self.reader, self.expires)


def _manager_json(m: _Manager, current: int, window: list[IsoWeek], earlier: dict[str, bool],
                  options: dict, links: _Links) -> dict:
    now, before = m.weeks[current], m.weeks.get(current - 1, _Tally())
    top = _top(m.rules, options["top_rules"])
    assert m.worst is not None  # every active manager has a verdict this week
    # "The best email" of one or two is no example: only among at least BEST_MIN_EMAILS.
    best = m.best if m.best is not None and now.emails >= BEST_MIN_EMAILS else None
    return {
        "email": m.email,
        "name": m.name,
        "emails": now.emails,
        "mean_score": now.mean,
        "change": _change(now.mean, before.mean),
        "pass_rate": now.pass_rate,
        "top_rules": [name for name, _ in top],
        "repeated": sorted(name for name in m.rules if name in earlier),
        "best": best[1] if best else None,
        "worst": m.worst[1],
        # Beyond the contract: what the renderers show.
        "rule_counts": dict(top),
        "fixed": sorted(name for name, last_week in earlier.items() if last_week and name not in m.rules),
        "coaching": m.coaching,
        "best_score": best[0] if best else None, "best_subject": best[2] if best else "",
        "best_url": links(best[1]) if best else None,
        "worst_score": m.worst[0], "worst_subject": m.worst[2], "worst_url": links(m.worst[1]),
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


def _false_alarms(fired: dict[str, Any], dismissed: dict[str, int], review_share: float) -> list[dict]:
    """Per rule name: findings in the week's verdicts, findings dismissed in the week, and the share dismissed.
    Dismissals also come from checks that were not stored (the page, the add-in), so the share is capped at 1.
    A rule dismissed more than `review_share` of the time is marked for review: it may cry wolf."""
    out = []
    for name in sorted(set(fired) | set(dismissed)):
        count, dropped = int(fired.get(name) or 0), int(dismissed.get(name, 0))  # PostgreSQL sums are Decimal
        share = round(min(1.0, dropped / count), 3) if count else (1.0 if dropped else 0.0)
        out.append({"name": name, "fired": count, "dismissed": dropped, "dismissed_share": share,
                    "review": dropped > 0 and share > review_share})
    out.sort(key=lambda r: (not r["review"], -r["dismissed_share"], -r["fired"], r["name"]))
    return out


def _order(rows: list[dict], ranked: bool) -> None:
    """Ranked: the highest pass rate first (emails that go out right matter more than the average),
    then the mean score; numbered. Otherwise alphabetical, so no order implies a ranking."""
    if ranked:
        rows.sort(key=lambda r: (-r["pass_rate"], -r["mean_score"], -r["emails"], r["email"]))
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
