"""Start a real Dovecot IMAP server and a real aiosmtpd SMTP server on 127.0.0.1 for the tests.

Dovecot runs as root with a config of its own in a temp folder: base_dir, state_dir and log in
that folder, no SSL, plaintext auth allowed, a passwd-file whose users map to the package's
`dovecot` uid, mail in Maildir folders under the temp folder.
"""
from __future__ import annotations

import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm") or "/usr/bin/doveadm"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


@dataclass
class Dovecot:
    """`Dovecot(users={"head": "secret"}).start()`; its folder is world-traversable because Dovecot's
    auth process runs as the `dovecot` user and pytest's tmp_path is root-only."""

    users: dict[str, str]
    port: int = field(default_factory=free_port)
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="mail-lint-dovecot-")))
    config_file: Path = field(init=False)

    def __post_init__(self) -> None:
        self.root.chmod(0o755)
        self.config_file = self.root / "dovecot.conf"

    @classmethod
    def available(cls) -> bool:
        return Path(DOVECOT).exists() and Path(DOVEADM).exists()

    def write_config(self) -> None:
        entry = pwd.getpwnam("dovecot")
        uid, gid = entry.pw_uid, entry.pw_gid
        for sub in ("run", "state", "mail"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        shutil.chown(self.root / "mail", uid, gid)
        passwd = "".join(f"{u}:{{PLAIN}}{p}:{uid}:{gid}::{self.root}/mail/{u}::\n" for u, p in self.users.items())
        (self.root / "passwd").write_text(passwd)
        self.config_file.write_text(f"""
protocols = imap
listen = 127.0.0.1
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
info_log_path = {self.root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = {uid}
last_valid_uid = {uid}
mail_location = maildir:~/Maildir
mail_uid = {uid}
mail_gid = {gid}
default_internal_user = dovecot
default_login_user = dovecot
passdb {{
  driver = passwd-file
  args = {self.root}/passwd
}}
userdb {{
  driver = passwd-file
  args = {self.root}/passwd
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  inet_listener http {{
    port = 0
  }}
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
""")

    def start(self) -> "Dovecot":
        self.write_config()
        subprocess.run([DOVECOT, "-c", str(self.config_file)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_port(self.port)
        except TimeoutError:
            log = (self.root / "dovecot.log").read_text(errors="replace")[-2000:] if (self.root / "dovecot.log").exists() else ""
            raise RuntimeError(f"dovecot did not start:\n{log}") from None
        return self

    def stop(self) -> None:
        subprocess.run([DOVEADM, "-c", str(self.config_file), "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                time.sleep(0.1)
            except OSError:
                return

    def restart(self) -> None:
        self.stop()
        self.start()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


class SmtpSink:
    """A real SMTP server (aiosmtpd) on loopback that keeps every message it receives."""

    def __init__(self, port: int | None = None):
        from aiosmtpd.controller import Controller
        self.port = port or free_port()
        self.received: list[dict] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.received.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                      "data": envelope.original_content or envelope.content,
                                      "message": message_from_bytes(envelope.original_content or envelope.content,
                                                                 policy=policy.default)})
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
