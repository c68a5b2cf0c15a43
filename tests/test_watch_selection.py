"""Which mail the watcher lints: BCC only, long new text, proposals, priority products."""
from mail_lint.config import validate
from mail_lint.message import from_draft
from mail_lint.model import Attachment
from mail_lint.imap_watcher.selection import select

HEAD = "head@alfa-solar.ru"
LONG_RU = "Мария, добрый день!\n\n" + "\n".join(f"Строка {i} нового текста." for i in range(6)) + "\n\nС уважением,\nИван\n"
SHORT_RU = "Мария, добрый день!\n\nСпасибо, получил.\n\nС уважением,\nИван\n"


def options(**overrides):
    return validate({"watch": overrides}).section("watch")


def draft(text, to=("Мария <maria@client.ru>",), cc=(), subject="Договор", attachments=()):
    return from_draft(text=text, to=list(to), cc=list(cc), subject=subject, sender="Иван <ivan@alfa-solar.ru>",
                      attachments=[Attachment(a) for a in attachments])


def test_bcc_long_email_is_selected():
    assert select(draft(LONG_RU), options(), HEAD).selected


def test_head_in_to_or_cc_is_not_bcc():
    assert not select(draft(LONG_RU, to=("Мария <maria@client.ru>", HEAD)), options(), HEAD).selected
    result = select(draft(LONG_RU, cc=(f"Head <{HEAD.upper()}>",)), options(), HEAD)
    assert not result.selected and "BCC" in result.reason


def test_take_all_when_configured():
    assert select(draft(SHORT_RU, cc=(HEAD,)), options(bcc_only=False, select_all=True), HEAD).selected


def test_short_email_is_skipped_with_the_reason():
    result = select(draft(SHORT_RU), options(), HEAD)
    assert not result.selected and "short" in result.reason


def test_line_count_ignores_quoted_history_and_signature():
    quoted = SHORT_RU + "\nср, 3 дек. 2025 г. в 10:15, Мария <maria@client.ru>:\n" + "".join(
        f"> строка {i}\n" for i in range(20))
    assert not select(draft(quoted), options(), HEAD).selected
    long_signature = "Hi John,\n\nThanks, got it.\n\nBest regards,\nIvan Petrov\nSales\nAlfa Solar\n+7 495 1\nwww\nx\n"
    assert not select(draft(long_signature, to=("John <john@example.com>",)), options(), HEAD).selected


def test_min_lines_is_configurable():
    assert select(draft(SHORT_RU), options(min_lines=0), HEAD).selected


def test_proposal_by_attachment_ru_and_en():
    assert "КП_Альфа.pdf" in select(draft(SHORT_RU, attachments=["КП_Альфа.pdf"]), options(), HEAD).reason
    en = draft("Hi John,\n\nSee the file.\n", to=("John <john@example.com>",), attachments=["Proposal-2025.pdf"])
    assert select(en, options(), HEAD).selected


def test_proposal_by_wording_ru_and_en():
    assert select(draft("Мария, добрый день!\n\nНаправляю коммерческое предложение.\n"), options(), HEAD).selected
    assert select(draft("Добрый день!\n\nКП во вложении.\n", subject="Цены"), options(), HEAD).selected
    assert select(draft("Hi John,\n\nOur quote is below.\n", subject="Panels"), options(), HEAD).selected
    assert not select(draft("Hi John,\n\nQuoted prices are old.\n", subject="Panels"), options(), HEAD).selected


def test_priority_products():
    opts = options(priority_products=["СолarMax 400", "Inverter X5"])
    assert "priority product" in select(draft("Добрый день!\n\nПо СолarMax 400 есть новости.\n"), opts, HEAD).reason
    assert select(draft("Hi,\n\nThe inverter x5 ships Monday.\n"), opts, HEAD).selected
    assert not select(draft("Hi,\n\nThe inverter ships Monday.\n"), opts, HEAD).selected
