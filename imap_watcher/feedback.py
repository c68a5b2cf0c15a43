"""Private feedback to the manager: the annotated verdict by SMTP, only inside the company, rate-limited."""
from __future__ import annotations

import time
from collections import defaultdict, deque
from dataclasses import asdict
from email.message import EmailMessage

from mail_lint.annotate import dismiss_url, excerpt, render_page
from mail_lint.catalogue import rule_label
from mail_lint.checks import tr
from mail_lint.explain import better, reading_order, reason
from mail_lint.explain import excerpt as short_excerpt
from mail_lint.model import Message
from mail_lint.smtp import smtp_send
from mail_lint.verdict import Verdict


def render_feedback(verdict: Verdict, sender_from: str, *, verdict_id: int | None = None,
                    base_url: str = "") -> EmailMessage:
    """Plain text, and the annotated verdict as HTML beside it. With the service's `base_url`, every finding
    has a «Не ошибка» / "Not a problem" link to the service's dismissal page."""
    message, lang = verdict.message, verdict.message.language
    lines = [tr(lang, ru=f"Письмо «{message.subject}»: {verdict.score}/100. {reason(verdict, lang)}.",
                en=f"Your email “{message.subject}”: {verdict.score}/100. {reason(verdict, lang)}."), ""]
    not_a_problem = tr(lang, ru="Не ошибка?", en="Not a problem?")
    for f in reading_order(verdict.findings):                 # errors first, then warnings, then suggestions
        snippet = short_excerpt(message.text, f, 80)
        finding = asdict(f)
        link = (f"\n  {not_a_problem} {dismiss_url(base_url, finding, excerpt(message.text, finding), verdict_id, lang)}"
                if base_url else "")
        instead = better(f)
        lines.append(f"- {rule_label(f.name, lang, with_id=False)}" + (f": «{snippet}»" if snippet else "")
                     + f" — {f.message}" + (f"\n  → {instead}" if instead else "") + link)
    if not verdict.findings:
        lines.append(tr(lang, ru="Замечаний нет. Так держать!", en="No findings. Keep it up!"))
    lines += ["", tr(lang, ru="Это письмо видите только вы.", en="Only you can see this email.")]
    mail = EmailMessage()
    mail["From"] = sender_from
    mail["To"] = message.sender.email
    mail["Subject"] = tr(lang, ru=f"mail-lint: отзыв о письме «{message.subject}»",
                         en=f"mail-lint: feedback on “{message.subject}”")
    if message.message_id:
        mail["In-Reply-To"] = message.message_id
    mail.set_content("\n".join(lines))
    mail.add_alternative(render_page(verdict.to_json(), verdict_id=verdict_id, base_url=base_url or None),
                         subtype="html")
    return mail


class FeedbackSender:
    """Sends feedback to senders in the company's own domains, at most N per sender per hour."""

    def __init__(self, smtp: dict, watch: dict, base_url: str = ""):
        self.smtp, self.domains = smtp, {d.lower().lstrip("@") for d in watch["company_domains"]}
        self.base_url = base_url  # the check service, for the «Не ошибка» links; "" leaves them out
        self.per_hour = watch["feedback_per_hour"]
        self.sent: dict[str, deque] = defaultdict(deque)

    def eligible(self, message: Message) -> str | None:
        """None when feedback may go; otherwise why not."""
        if not message.sender or "@" not in message.sender.email:
            return "no sender address"
        if message.sender.email.rsplit("@", 1)[1].lower() not in self.domains:
            return "sender outside the company's domains"
        recent = self.sent[message.sender.email]
        while recent and time.monotonic() - recent[0] > 3600:
            recent.popleft()
        if len(recent) >= self.per_hour:
            return "rate limit"
        return None

    def send(self, verdict: Verdict, verdict_id: int | None = None) -> str | None:
        message = verdict.message
        why_not = self.eligible(message)
        if why_not:
            return why_not
        smtp_send(self.smtp, render_feedback(verdict, self.smtp["from"] or self.smtp["user"], verdict_id=verdict_id,
                                             base_url=self.base_url))
        self.sent[message.sender.email].append(time.monotonic())
        return None
