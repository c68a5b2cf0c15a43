"""Sending mail through `[smtp]`: the watcher's private feedback and the weekly digest."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from .config import read_password


def smtp_send(smtp: dict, message: EmailMessage, timeout: float = 30.0) -> None:
    security = smtp["security"]
    cls = smtplib.SMTP_SSL if security == "tls" else smtplib.SMTP
    kwargs = {"context": ssl.create_default_context()} if security == "tls" else {}
    with cls(smtp["host"], smtp["port"], timeout=timeout, **kwargs) as client:
        if security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if smtp["user"]:
            client.login(smtp["user"], read_password(smtp, "smtp"))
        client.send_message(message)
