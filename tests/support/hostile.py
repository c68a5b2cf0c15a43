"""Mail built to break things (issue 12): MIME nested a thousand levels deep, dates at the calendar's ends."""
from __future__ import annotations

_as_rfc822 = b"Content-Type: message/rfc822\r\n\r\n"


def nested_rfc822(levels: int, *, sender: str = "ivan@alfa-solar.ru", message_id: str = "<poison@alfa-solar.ru>",
                  subject: str = "Вложенное письмо") -> bytes:
    """A message whose body is a message/rfc822 whose body is a message/rfc822 ... `levels` deep."""
    inner = b"Content-Type: text/plain; charset=utf-8\r\n\r\nBottom\r\n"
    for level in range(levels - 1):
        inner = f"From: level{level}@example.ru\r\nSubject: level {level}\r\n".encode() + _as_rfc822 + inner
    head = (f"From: Иван Петров <{sender}>\r\nTo: Мария <maria@client.ru>\r\nSubject: {subject}\r\n"
            f"Date: Wed, 03 Dec 2025 10:15:00 +0300\r\nMessage-ID: {message_id}\r\nMIME-Version: 1.0\r\n")
    return head.encode() + _as_rfc822 + inner


def nested_multipart(levels: int) -> bytes:
    """multipart/mixed inside multipart/mixed ... `levels` deep, with the text at the bottom."""
    inner = b"Content-Type: text/plain\r\n\r\nBottom\r\n"
    for level in range(levels):
        inner = (f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n'.encode()
                 + inner + f"\r\n--b{level}--\r\n".encode())
    return b"From: a@b.ru\r\nSubject: Deep\r\n" + inner
