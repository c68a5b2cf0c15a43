"""Digest emails: HTML with a plain-text alternative and the charts as inline `cid:` images, sent by SMTP.

The head's digest goes to `[digest] recipients` (default: the watched `[imap] address`, unless teams have
heads). Each `[[mailbox]]` with a `head` makes a team: its head gets the digest of the managers whose mail
came through that mailbox (a head of several mailboxes: of all of them), and nobody else's. With
`send_private`, each manager who sent mail that week also gets their own numbers, and nobody else's.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from mail_lint.errors import ConfigError
from mail_lint.links import link_secret
from mail_lint.smtp import smtp_send
from mail_lint.store import Store

from . import i18n
from .compute import compute_digest, private_digest
from .render import render_html
from .text import render_text
from .weeks import IsoWeek

HEAD, PRIVATE = "head", "private"


@dataclass
class Outgoing:
    kind: str  # HEAD | PRIVATE
    recipient: str
    mail: EmailMessage


def subject_of(digest: dict, language: str) -> str:
    start = date.fromisoformat(digest["start"][:10])
    end = date.fromisoformat(digest["end"][:10]) - timedelta(days=1)
    week_no = int(digest["week"].split("W")[1])
    key = "private_title" if digest.get("private") else "title"
    return f"{i18n.t(language, key, week=week_no)} ({i18n.period(start, end, language)})"


def build_email(digest: dict, language: str, sender: str, recipient: str) -> EmailMessage:
    """multipart/alternative: text/plain, then multipart/related (text/html + the PNG charts)."""
    rendered = render_html(digest, language, embed="cid")
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = recipient
    mail["Subject"] = subject_of(digest, language)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain="mail-lint")
    mail["Auto-Submitted"] = "auto-generated"  # no vacation replies to a report
    mail.set_content(render_text(digest, language))
    mail.add_alternative(rendered.html, subtype="html")
    html_part = mail.get_payload()[1]
    for cid, png in rendered.images.items():
        html_part.add_related(png, maintype="image", subtype="png", cid=f"<{cid}>",
                              disposition="inline", filename=f"{cid.split('@')[0]}.png")
    return mail


def team_heads(config: Any) -> dict[str, list[str]]:
    """Each team head's address -> the `[[mailbox]]` names they head, in the config's order."""
    heads: dict[str, list[str]] = {}
    for mailbox in config.mailboxes:
        if mailbox["head"]:
            heads.setdefault(mailbox["head"], []).append(mailbox["name"])
    return heads


def head_recipients(config: Any) -> list[str]:
    """Who gets the whole digest: `[digest] recipients`; else nobody when teams have heads; else `[imap]`'s address."""
    configured = config.section("digest")["recipients"]
    if configured:
        return configured
    if team_heads(config):
        return []
    imap = config.section("imap")
    head = imap.get("address") or imap.get("user")
    if not head:
        raise ConfigError("digest.recipients: nobody to send the digest to "
                          "(set [digest] recipients or [imap] address)")
    return [head]


def sender_of(config: Any) -> str:
    smtp = config.section("smtp")
    sender = smtp["from"] or smtp["user"]
    if not sender:
        raise ConfigError("smtp.from: the digest needs a From address (set [smtp] from)")
    return sender


def plan(digest: dict, config: Any, language: str, store: Store | None = None) -> list[Outgoing]:
    """Every email this digest makes: the whole one to each recipient, each team's to its head (computed from
    `store`), then the private ones if configured."""
    sender = sender_of(config)
    whole = head_recipients(config)
    out = [Outgoing(HEAD, to, build_email(digest, language, sender, to)) for to in whole]
    if store is not None:
        for head, mailboxes in team_heads(config).items():
            if head in whole:
                continue  # gets every team already
            team = compute_digest(store, config, IsoWeek.parse(digest["week"]), mailboxes=mailboxes)
            out.append(Outgoing(HEAD, head, build_email(team, language, sender, head)))
    if config.section("digest")["send_private"]:
        domains = {d.lower().lstrip("@") for d in config.section("watch")["company_domains"]}
        for manager in digest["managers"]:
            email = manager["email"]
            if domains and email.rsplit("@", 1)[-1] not in domains:
                continue  # outside the company: not one of our managers
            mine = private_digest(digest, email, link_secret(config) if digest.get("links", {}).get("base") else None)
            if mine is not None:
                out.append(Outgoing(PRIVATE, email, build_email(mine, language, sender, email)))
    return out


def smtp_sender(config: Any) -> Callable[[EmailMessage], None]:
    """Sends through `[smtp]` (the same helper as the watcher's feedback)."""
    smtp = config.section("smtp")
    if not smtp["host"]:
        raise ConfigError("smtp.host: set [smtp] host to send the digest")
    return lambda mail: smtp_send(smtp, mail)
