"""The real servers the watcher and digest tests use do start and answer."""
import smtplib
from email.message import EmailMessage

import pytest
from imapclient import IMAPClient

from support.mailservers import Dovecot, SmtpSink


@pytest.mark.skipif(not Dovecot.available(), reason="Dovecot is not installed (apt-get install dovecot-imapd)")
def test_dovecot_accepts_append_and_fetch():
    server = Dovecot({"head": "secret"}).start()
    try:
        with IMAPClient("127.0.0.1", port=server.port, ssl=False) as imap:
            imap.login("head", "secret")
            imap.select_folder("INBOX")
            imap.append("INBOX", "Subject: КП\r\n\r\nТекст\r\n".encode())
            uids = imap.search()
            assert len(uids) == 1
            assert b"Subject:" in imap.fetch(uids, ["RFC822"])[uids[0]][b"RFC822"]
    finally:
        server.remove()


def test_smtp_sink_keeps_what_arrives():
    sink = SmtpSink().start()
    try:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "a@x.ru", "b@x.ru", "Проверка"
        msg.set_content("Тело")
        with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
            smtp.send_message(msg)
        assert sink.received[0]["message"]["Subject"] == "Проверка"
    finally:
        sink.stop()
