"""MIME reading: alternatives, attachments, forwards, transfer encodings, charsets, broken input."""
from __future__ import annotations

import base64
import time
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from mail_lint.errors import UnusableInput
from mail_lint.message import parse, read_input
from mail_lint.mime import FORWARD_BANNER, MAX_NESTING, MAX_TEXT_CHARS, decode_header_text, read_mime
from support.hostile import nested_multipart, nested_rfc822

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def headers(subject: str = "Test", extra: str = "") -> bytes:
    return (f"From: a@example.ru\r\nTo: b@example.ru\r\nSubject: {subject}\r\n"
            f"Message-ID: <m1@example.ru>\r\nMIME-Version: 1.0\r\n{extra}").encode()


def alternative(plain: str, html: str, charset: str = "utf-8") -> bytes:
    msg = MIMEMultipart("alternative")
    msg["From"], msg["To"], msg["Subject"] = "a@example.ru", "b@example.ru", "Alt"
    msg.attach(MIMEText(plain, "plain", charset))
    msg.attach(MIMEText(html, "html", charset))
    return msg.as_bytes()


# ---------------------------------------------------------------- multipart/alternative

@pytest.mark.parametrize("plain,html", [
    ("Добрый день, Иван!\nВысылаю договор.", "<p>Добрый день, <b>Иван</b>!</p><p>Высылаю договор.</p>"),
    ("Hello John,\nThe contract is attached.", "<p>Hello <b>John</b>,</p><p>The contract is attached.</p>"),
])
def test_alternative_lints_the_plain_part(plain, html):
    content = read_mime(alternative(plain, html))
    assert content.text.strip() == plain


@pytest.mark.parametrize("html,expected", [
    ("<div>Добрый день, Иван!</div><div>Жду ответа до пятницы.</div>", "Добрый день, Иван!\nЖду ответа до пятницы."),
    ("<div>Hi John,</div><div>Please reply by Friday.</div>", "Hi John,\nPlease reply by Friday."),
])
def test_alternative_with_empty_plain_part_uses_html(html, expected):
    assert read_mime(alternative("  \n", html)).text == expected


@pytest.mark.parametrize("placeholder", [
    "This is an HTML email. Please use an HTML compatible email viewer.",
    "Для просмотра письма используйте программу с поддержкой HTML.",
])
def test_placeholder_plain_part_yields_to_html(placeholder):
    html = "<p>" + "Коммерческое предложение на поставку панелей, срок до пятницы. " * 3 + "</p>"
    assert "Коммерческое предложение" in read_mime(alternative(placeholder, html)).text


def test_html_only_message_is_converted_with_its_quote():
    html = ("<div>Спасибо, получил.</div><div class=\"gmail_quote\">"
            "<div>ср, 3 дек. 2025 г. в 10:15, Иван Петров &lt;ivan@example.ru&gt;:</div>"
            "<blockquote>Вот договор</blockquote></div>")
    raw = headers(extra="Content-Type: text/html; charset=utf-8\r\n") + b"\r\n" + html.encode()
    content = read_mime(raw)
    assert content.text.startswith("Спасибо, получил.\n")
    assert content.text[content.quote_start:].startswith("ср, 3 дек. 2025 г.")


# ---------------------------------------------------------------- attachments

def b64word(text: str, charset: str) -> str:
    return f"=?{charset}?b?{base64.b64encode(text.encode(charset)).decode()}?="


def mixed(*parts) -> bytes:
    msg = MIMEMultipart("mixed")
    msg["From"], msg["Subject"] = "a@example.ru", "Files"
    msg.attach(MIMEText("См. вложение.", "plain", "utf-8"))
    for part in parts:
        msg.attach(part)
    return msg.as_bytes()


def named(filename_header: str, data: bytes = b"%PDF-1.4 hello") -> MIMEApplication:
    part = MIMEApplication(data, "pdf")
    part["Content-Disposition"] = filename_header
    return part


@pytest.mark.parametrize("disposition,expected", [
    ("attachment; filename*=utf-8''%D0%9A%D0%9F%20%D0%90%D0%BB%D1%8C%D1%84%D0%B0.pdf", "КП Альфа.pdf"),
    ("attachment; filename*0*=utf-8''%D0%94%D0%BE%D0%B3%D0%BE; filename*1*=%D0%B2%D0%BE%D1%80.pdf", "Договор.pdf"),
    (f'attachment; filename="{b64word("Прайс-лист.xlsx", "utf-8")}"', "Прайс-лист.xlsx"),
    (f'attachment; filename="{b64word("Коммерческое.pdf", "koi8-r")}"', "Коммерческое.pdf"),
    (f'attachment; filename="{b64word("Счёт.pdf", "windows-1251")}"', "Счёт.pdf"),
    ("attachment; filename*=utf-8''Price%20list%202025.pdf", "Price list 2025.pdf"),
    ('attachment; filename="Quote.pdf"', "Quote.pdf"),
    ('attachment; filename="C:\\Documents\\Offer.pdf"', "Offer.pdf"),
])
def test_attachment_file_names_are_decoded(disposition, expected):
    content = read_mime(mixed(named(disposition)))
    assert [a.filename for a in content.attachments] == [expected]
    assert content.attachments[0].content_type == "application/pdf"
    assert content.attachments[0].size == len(b"%PDF-1.4 hello")  # decoded, not base64, size
    assert content.text == "См. вложение."


def test_file_name_from_content_type_name():
    part = MIMEApplication(b"12345", "pdf", Name=b64word("Счёт.pdf", "utf-8"))
    assert [(a.filename, a.size) for a in read_mime(mixed(part)).attachments] == [("Счёт.pdf", 5)]


def test_raw_utf8_file_name_in_header_survives():
    raw = (headers(extra='Content-Type: multipart/mixed; boundary="b"\r\n') + b"\r\n--b\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\nhi\r\n--b\r\n"
           b"Content-Type: application/pdf\r\n"
           + 'Content-Disposition: attachment; filename="Счёт №5.pdf"\r\n'.encode()
           + b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(b"12345") + b"\r\n--b--\r\n")
    assert [(a.filename, a.size) for a in read_mime(raw).attachments] == [("Счёт №5.pdf", 5)]


def test_inline_images_count_only_when_named_and_disposed_as_attachment():
    logo = MIMEImage(PNG, "png")
    logo["Content-ID"] = "<logo@x>"
    named_inline = MIMEImage(PNG, "png")
    named_inline["Content-ID"] = "<pic@x>"
    named_inline["Content-Disposition"] = 'inline; filename="pic.png"'
    photo = MIMEImage(PNG, "png")
    photo["Content-ID"] = "<photo@x>"
    photo["Content-Disposition"] = 'attachment; filename="photo.png"'
    content = read_mime(mixed(logo, named_inline, photo))
    assert [(a.filename, a.content_type, a.size) for a in content.attachments] == [("photo.png", "image/png", len(PNG))]


def test_signature_part_is_not_an_attachment():
    sig = MIMEApplication(b"-----BEGIN PGP SIGNATURE-----", "pgp-signature")
    sig["Content-Disposition"] = 'attachment; filename="signature.asc"'
    assert read_mime(mixed(sig)).attachments == []


# ---------------------------------------------------------------- forwarded message/rfc822

def forwarded_email(outer_text: str, inner_text: str, inner_subject: str) -> bytes:
    inner = MIMEMultipart("mixed")
    inner["From"], inner["To"] = "Иван Петров <ivan@example.ru>", "olga@example.ru"
    inner["Subject"], inner["Date"] = inner_subject, "Wed, 03 Dec 2025 10:15:00 +0300"
    inner.attach(MIMEText(inner_text, "plain", "utf-8"))
    inner.attach(named('attachment; filename="inner.pdf"'))
    outer = MIMEMultipart("mixed")
    outer["From"], outer["Subject"] = "olga@example.ru", "Fwd: " + inner_subject
    outer.attach(MIMEText(outer_text, "plain", "utf-8"))
    outer.attach(MIMEMessage(inner))
    return outer.as_bytes()


@pytest.mark.parametrize("outer,inner,subject", [
    ("Коллеги, посмотрите письмо ниже.", "Добрый день! Высылаю счёт.", "Счёт на оплату"),
    ("Team, see the message below.", "Hello! The invoice is attached.", "Invoice"),
])
def test_forwarded_message_becomes_quoted_history(outer, inner, subject):
    content = read_mime(forwarded_email(outer, inner, subject))
    assert content.text.startswith(outer + "\n\n" + FORWARD_BANNER)
    assert content.quote_start == content.text.index(FORWARD_BANNER)
    quoted = content.text[content.quote_start:]
    assert "From: Иван Петров <ivan@example.ru>" in quoted
    assert f"Subject: {subject}" in quoted and "To: olga@example.ru" in quoted
    assert "Date: Wed, 03 Dec 2025 10:15:00 +0300" in quoted
    assert quoted.rstrip().endswith(inner)
    assert content.attachments == []  # the forwarded message's PDF is not the outer message's


def test_forward_keeps_an_earlier_html_quote_start():
    outer = MIMEMultipart("mixed")
    outer["From"] = "a@example.ru"
    outer.attach(MIMEText("<div>Новое</div><blockquote>старое</blockquote>", "html", "utf-8"))
    inner = MIMEText("Текст пересланного", "plain", "utf-8")
    inner["Subject"] = "Старое письмо"
    outer.attach(MIMEMessage(inner))
    content = read_mime(outer.as_bytes())
    assert content.text[content.quote_start:].startswith("старое")
    assert FORWARD_BANNER in content.text[content.quote_start:]


# ---------------------------------------------------------------- transfer encodings and charsets

def single(body: bytes, content_type: str, encoding: str = "8bit", subject: str = "T") -> bytes:
    return (headers(subject, f"Content-Type: {content_type}\r\nContent-Transfer-Encoding: {encoding}\r\n")
            + b"\r\n" + body)


RU = "Добрый день, Ольга! Высылаю коммерческое предложение, жду ответа до пятницы."


@pytest.mark.parametrize("charset,encoding", [
    ("koi8-r", "base64"), ("windows-1251", "base64"), ("koi8-r", "quoted-printable"),
    ("windows-1251", "quoted-printable"), ("utf-8", "quoted-printable"), ("utf-8", "base64"),
    ("koi8-r", "8bit"), ("windows-1251", "8bit"),
])
def test_russian_bodies_in_any_charset_and_encoding(charset, encoding):
    data = RU.encode(charset)
    if encoding == "base64":
        data = base64.encodebytes(data)
    elif encoding == "quoted-printable":
        import quopri
        data = quopri.encodestring(data)
    raw = single(data, f"text/plain; charset={charset}", encoding)
    assert read_mime(raw).text.strip() == RU


def test_english_quoted_printable_soft_breaks():
    body = b"Hello John, the contract is ready and waiting for your signat=\r\nure by Friday.=20\r\n"
    assert read_mime(single(body, "text/plain; charset=us-ascii", "quoted-printable")).text.strip() == \
        "Hello John, the contract is ready and waiting for your signature by Friday."


@pytest.mark.parametrize("label", ["utf-8", "x-unknown", "utf8", "cp-1251", "us-ascii", "iso-8859-1", "bogus-42"])
def test_windows_1251_bytes_under_any_label_decode_to_russian(label):
    raw = single(RU.encode("cp1251"), f"text/plain; charset={label}")
    assert read_mime(raw).text.strip() == RU


def test_unlabelled_8bit_bytes_are_detected():
    for charset in ("cp1251", "koi8-r", "utf-8"):
        assert read_mime(single(RU.encode(charset), "text/plain")).text.strip() == RU


def test_koi8r_mislabelled_as_windows_1251_is_repaired():
    assert read_mime(single(RU.encode("koi8-r"), "text/plain; charset=windows-1251")).text.strip() == RU


def test_utf8_mislabelled_as_latin1_is_repaired():
    assert read_mime(single(RU.encode("utf-8"), "text/plain; charset=iso-8859-1")).text.strip() == RU


def test_latin1_text_stays_latin1():
    text = "Grüße aus München, die Straße ist schön."
    assert read_mime(single(text.encode("latin-1"), "text/plain; charset=iso-8859-1")).text.strip() == text


def test_broken_base64_and_odd_transfer_encodings_decode_what_they_can():
    body = base64.b64encode("Привет, мир".encode()).rstrip(b"=")  # padding lost
    assert read_mime(single(body, "text/plain; charset=utf-8", "Base64;")).text.strip() == "Привет, мир"
    assert read_mime(single(b"plain text", "text/plain", "7-bit")).text.strip() == "plain text"


# ---------------------------------------------------------------- headers

@pytest.mark.parametrize("value,expected", [
    ("=?koi8-r?B?4czGwdfJ1A==?=", "Алфавит"),
    ("=?windows-1251?Q?=CF=F0=E8=E2=E5=F2?=", "Привет"),
    ("=?utf-8?b?0KHRh9GR0YI=?= =?utf-8?b?INC90LAg0L7Qv9C70LDRgtGD?=", "Счёт на оплату"),
    ("=?utf-8?q?Re:_=D0=9F=D1=80=D0=B8?= =?utf-8?q?=D0=B2=D0=B5=D1=82?=", "Re: Привет"),
    ("=?utf-8?b?0J8=?==?utf-8?b?0YA=?=", "Пр"),        # a character split across encoded words
    ("=?utf-8?q?=CF=F0=E8=E2=E5=F2?=", "Привет"),       # cp1251 bytes labelled utf-8
    ("=?x-unknown?q?Hello?= world", "Hello world"),
    ("=?NONE?B?VEVTVA=?=", "TEST"),
    ("Meeting on Friday", "Meeting on Friday"),
    ("Long\r\n subject", "Long subject"),
])
def test_header_values_are_decoded(value, expected):
    assert decode_header_text(value) == expected


def test_addresses_are_split_before_display_names_are_decoded():
    # "Петров, Иван" holds a comma once decoded: it must stay one address.
    name = base64.b64encode("Петров, Иван".encode()).decode()
    raw = (f"From: =?utf-8?b?{name}?= <ivan@example.ru>\r\nTo: =?utf-8?b?{name}?= <ivan@example.ru>, "
           "Olga <olga@example.ru>\r\nSubject: =?utf-8?b?0J/RgNC40LLQtdGC?=\r\nMessage-ID: <abc@x.ru>\r\n\r\nТекст").encode()
    msg = parse(raw)
    assert (msg.sender.name, msg.sender.email) == ("Петров, Иван", "ivan@example.ru")
    assert [a.email for a in msg.to] == ["ivan@example.ru", "olga@example.ru"]
    assert msg.subject == "Привет" and msg.message_id == "<abc@x.ru>"


def test_raw_8bit_headers_are_decoded():
    raw = ("From: Иван <ivan@example.ru>\r\nSubject: Счёт\r\n\r\nТекст").encode("cp1251")
    msg = parse(raw)
    assert (msg.sender.name, msg.subject, msg.text) == ("Иван", "Счёт", "Текст")


# ---------------------------------------------------------------- broken input

def test_missing_final_boundary_still_yields_the_text():
    raw = headers(extra='Content-Type: multipart/alternative; boundary="X"\r\n') + \
        b"\r\n--X\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + "Привет".encode() + b"\r\n"
    assert read_mime(raw).text.strip() == "Привет"


def test_declared_multipart_without_boundary_keeps_its_body():
    raw = headers(extra="Content-Type: multipart/mixed\r\n") + b"\r\nJust some text\r\n"
    assert "Just some text" in read_mime(raw).text


def test_wrong_boundary_is_recovered_from_the_boundary_lines_present():
    raw = headers(extra='Content-Type: multipart/alternative; boundary="declared"\r\n') + (
        "\r\n--actual\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nДобрый день!\r\n--actual--\r\n").encode()
    assert read_mime(raw).text.strip() == "Добрый день!"


@pytest.mark.parametrize("body", ["Hello", "Привет, это не base64"])
def test_base64_label_over_plain_text_keeps_the_text(body):
    raw = single(body.encode(), "text/plain; charset=utf-8", "base64")
    assert read_mime(raw).text.strip() == body


def test_no_content_type_is_plain_text():
    assert read_mime(b"From: a@b.ru\r\nSubject: Hi\r\n\r\nHello there").text == "Hello there"


def test_deep_nesting_is_cut_off_quickly():
    start = time.perf_counter()
    content = read_mime(nested_multipart(MAX_NESTING - 1))
    assert time.perf_counter() - start < 2  # robustness bound from the issue, not a benchmark
    assert content.headers["subject"] == "Deep"  # a message, though the text lies too deep to reach


# Inside a multipart whose declared boundary never occurs: the pieces are parsed again on their own.
_UNSPLIT = (b'From: a@b.ru\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary="NEVER"\r\n\r\n--other\r\n'
            + nested_rfc822(1000).split(b"MIME-Version: 1.0\r\n", 1)[1])


@pytest.mark.parametrize("raw", [nested_multipart(300), nested_rfc822(MAX_NESTING + 1), nested_rfc822(1000),
                                 nested_rfc822(20_000), _UNSPLIT],
                         ids=["multipart-300", "rfc822-over-limit", "rfc822-1000", "rfc822-20000", "unsplit-piece"])
def test_nesting_past_the_limit_is_unusable_input(raw):
    """The stdlib parser recurses once per level: 1,000 message/rfc822 parts raised RecursionError."""
    start = time.perf_counter()
    with pytest.raises(UnusableInput) as err:
        read_mime(raw)
    assert time.perf_counter() - start < 2
    assert str(err.value) == f"MIME parts nested more than {MAX_NESTING} levels deep: not a readable email"


def test_thousands_of_parts_are_cut_off_quickly():
    part = "--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<div>Привет</div>\r\n"
    raw = headers(extra='Content-Type: multipart/mixed; boundary="B"\r\n') + b"\r\n" + (part * 20_000).encode()
    start = time.perf_counter()
    content = read_mime(raw)
    assert time.perf_counter() - start < 2  # robustness bound from the issue, not a benchmark
    assert content.text.startswith("Привет\n\nПривет")


def test_huge_body_is_capped_but_size_is_kept():
    body = ("Очень длинное письмо. " * 30_000).encode()
    raw = single(body, "text/plain; charset=utf-8")
    msg = parse(raw)
    assert len(msg.text) <= MAX_TEXT_CHARS and msg.text.startswith("Очень длинное письмо.")
    assert msg.size == len(raw)


def test_huge_header_is_capped():
    raw = b"From: a@b.ru\r\nSubject: " + b"x" * 300_000 + b"\r\n\r\nBody"
    content = read_mime(raw)
    assert len(content.headers["subject"]) < 20_000 and content.text == "Body"


def test_headers_only_message_is_usable():
    assert read_mime(b"From: a@b.ru\r\nSubject: Empty\r\n\r\n").text == ""


@pytest.mark.parametrize("data", [b"", b"  \r\n\r\n", b"\x00\x00\x00"])
def test_unusable_input_gives_a_one_line_reason(data):
    with pytest.raises(UnusableInput) as err:
        read_mime(data)
    assert str(err.value) and "\n" not in str(err.value)


def test_read_input_recognises_mbox_envelope_and_leading_blank_lines():
    raw = b"   \r\nFrom a@b.ru Mon May  2 16:07:05 2005\r\nFrom: a@b.ru\r\nSubject: Hi\r\n\r\nHello"
    msg = read_input(raw)
    assert (msg.subject, msg.text) == ("Hi", "Hello")


@pytest.mark.parametrize("date", ["Fri, 31 Dec 9999 23:59:59 -1400", "Mon, 1 Jan 2300 00:00:00 +0000",
                                  "Mon, 1 Jan 1800 00:00:00 +0000"])
def test_a_date_header_outside_the_supported_years_is_no_date(date):
    """Like an unreadable Date header: converting year 9999 -14:00 to UTC overflowed on save."""
    msg = parse(headers(extra=f"Date: {date}\r\n") + b"\r\nHello")
    assert msg.date is None and msg.text == "Hello"


def test_dates_at_the_ends_of_the_supported_years_are_kept():
    assert parse(headers(extra="Date: Mon, 1 Jan 1900 00:00:00 +0000\r\n") + b"\r\nHi").date.year == 1900
    assert parse(headers(extra="Date: Tue, 31 Dec 2199 23:59:59 +0000\r\n") + b"\r\nHi").date.year == 2199


def test_nul_bytes_never_reach_the_text():
    from mail_lint.message import from_draft
    msg = from_draft(text="Добрый\x00 день!\n\nПришлите договор.", subject="Договор")
    assert "\x00" not in msg.text and msg.text.startswith("Добрый день!")
    html = from_draft(html="<p>При\x00вет</p><blockquote>Старое письмо\x00</blockquote>")
    assert "\x00" not in html.text
    assert html.span_text(html.parts.quoted).strip() == "Старое письмо"
