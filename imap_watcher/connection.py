"""Connecting to the mailbox: TLS, STARTTLS or plain (loopback), the password from env or a file."""
from __future__ import annotations

import ssl

from imapclient import IMAPClient

from mail_lint.config import read_password
from mail_lint.errors import ConfigError


class AuthenticationFailed(Exception):
    """The server refused the login; str() names the user, never the password."""


def check_settings(imap: dict) -> str:
    """The password, once the settings that no reconnect can fix are known to be there (ConfigError if not)."""
    if not imap["host"]:
        raise ConfigError("imap.host: the mailbox to watch is not configured")
    return read_password(imap, "imap")


def connect(imap: dict, timeout: float = 30.0) -> IMAPClient:
    """A logged-in client. Raises AuthenticationFailed, or OSError/IMAPClientError on network trouble."""
    password = check_settings(imap)
    security = imap["security"]
    client = IMAPClient(imap["host"], port=imap["port"], ssl=security == "tls",
                        ssl_context=ssl.create_default_context() if security != "none" else None, timeout=timeout)
    try:
        if security == "starttls":
            client.starttls(ssl.create_default_context())
        client.login(imap["user"], password)
    except Exception as e:
        client.shutdown() if hasattr(client, "shutdown") else None
        from imapclient.exceptions import LoginError
        if isinstance(e, LoginError):
            raise AuthenticationFailed(f"IMAP login refused for {imap['user']} at {imap['host']}:{imap['port']}") from None
        raise
    return client
