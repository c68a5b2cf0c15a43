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


# A 70-word contract email written as three long paragraphs: three lines as typed, more as displayed.
THREE_PARAGRAPHS_RU = ("Мария, добрый день!\n\n"
                       "Направляю договор поставки на сорок солнечных панелей с монтажом и пусконаладкой на вашем "
                       "складе в Подольске, цена и сроки те же, что мы согласовали на встрече в понедельник.\n\n"
                       "Прошу проверить реквизиты вашей компании в разделе двенадцать и график платежей в приложении "
                       "два, особенно дату предоплаты, которую бухгалтерия просила сдвинуть на начало месяца.\n\n"
                       "Если всё верно, подпишите, пожалуйста, договор до пятницы, пятого декабря, чтобы мы успели "
                       "заказать панели у производителя до повышения цен.\n\nС уважением,\nИван\n")
THREE_PARAGRAPHS_EN = ("Hi John,\n\n"
                       "Please find attached the supply contract for forty solar panels with installation and "
                       "commissioning at your warehouse, at the price and dates we agreed on Monday.\n\n"
                       "Could you check your company details in section twelve and the payment schedule in annex "
                       "two, especially the prepayment date your accountants asked us to move to the start of the "
                       "month?\n\nIf all is well, please sign the contract by Friday, December 5, so that we can "
                       "order the panels before the price rise.\n\nBest regards,\nIvan\n")


def test_long_paragraphs_count_as_the_lines_a_reader_sees():
    for text, to in ((THREE_PARAGRAPHS_RU, ("Мария <maria@client.ru>",)), (THREE_PARAGRAPHS_EN, ("John <j@x.com>",))):
        chosen = select(draft(text, to=to, subject="Supply"), options(), HEAD)
        assert chosen.selected and "lines of new text" in chosen.reason, chosen.reason
        as_typed = select(draft(text, to=to, subject="Supply"), options(reading_width=0), HEAD)
        assert not as_typed.selected and as_typed.reason.startswith("short (4 lines"), as_typed.reason


def test_a_word_count_can_select_instead():
    wide = options(reading_width=400)  # lines alone would not select it
    assert not select(draft(THREE_PARAGRAPHS_RU), wide, HEAD).selected
    chosen = select(draft(THREE_PARAGRAPHS_RU), options(reading_width=400, min_words=50), HEAD)
    assert chosen.selected and "words of new text" in chosen.reason
    assert not select(draft(SHORT_RU), options(min_words=50), HEAD).selected


def test_a_short_email_stays_short_at_any_width():
    for width in (0, 40, 80):
        chosen = select(draft(SHORT_RU), options(reading_width=width), HEAD)
        assert not chosen.selected and chosen.reason.startswith("short (2 lines, 5 words"), chosen.reason
