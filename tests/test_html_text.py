"""HTML to text: line structure, what is dropped, and where quoted history begins."""
from __future__ import annotations

import time

import pytest

from mail_lint.html_text import html_to_text


def text(html: str) -> str:
    return html_to_text(html).text


def quoted(html: str) -> str | None:
    """The text from the quote start on, or None when no quote was found."""
    result = html_to_text(html)
    return None if result.quote_start is None else result.text[result.quote_start:]


# ---------------------------------------------------------------- structure

@pytest.mark.parametrize("html,expected", [
    ("<div>Добрый день, Иван!</div><div><br></div><div>Высылаю счёт.</div>", "Добрый день, Иван!\n\nВысылаю счёт."),
    ("<div>Hi John,</div><div><br></div><div>The invoice is attached.</div>", "Hi John,\n\nThe invoice is attached."),
    ("Строка один<br>строка два<br/>строка три", "Строка один\nстрока два\nстрока три"),
    ("<p>First paragraph.</p><p>Second paragraph.</p>", "First paragraph.\n\nSecond paragraph."),
    ("<div>text<br></div><div>next</div>", "text\nnext"),
])
def test_blocks_and_breaks_become_lines(html, expected):
    assert text(html) == expected


def test_outlook_msonormal_paragraphs_are_single_lines():
    html = ('<p class=MsoNormal>Добрый день, Ольга!</p><p class=MsoNormal>&nbsp;</p>'
            '<p class=MsoNormal>Прошу подписать.</p><p class=MsoNormal>С уважением,</p><p class=MsoNormal>Иван</p>')
    assert text(html) == "Добрый день, Ольга!\n\nПрошу подписать.\nС уважением,\nИван"


def test_lists_become_dash_and_numbered_items():
    html = "<p>Нужно:</p><ul><li>договор</li><li>счёт</li></ul><ol><li>sign</li><li>send</li></ol>"
    assert text(html) == "Нужно:\n\n- договор\n- счёт\n1. sign\n2. send"


def test_table_rows_are_lines_with_cells_separated():
    html = ("<table><tr><th>Товар</th><th>Цена</th></tr><tr><td>Панель</td><td>10 000 ₽</td></tr>"
            "<tr><td>Panel</td><td>$120</td></tr></table>")
    assert text(html) == "Товар | Цена\nПанель | 10 000 ₽\nPanel | $120"


def test_layout_table_cells_are_blocks():
    html = "<table><tr><td><p>Left column text.</p></td><td><div>Right column text.</div></td></tr></table>"
    assert text(html) == "Left column text.\n\nRight column text."


def test_style_script_head_comments_and_hidden_text_are_dropped():
    html = ("<html><head><title>T</title><style>p{color:red}</style></head><body>"
            "<script>alert(1)</script><!-- a comment --><!--[if mso]><p>mso only</p><![endif]-->"
            "<span style='display:none'>preheader text</span><p>Видимый текст.</p></body></html>")
    assert text(html) == "Видимый текст."


@pytest.mark.parametrize("html,expected", [
    ('Подробнее <a href="https://example.ru/offer?id=1">на сайте</a>.', "Подробнее на сайте."),
    ('See <a href="https://example.com/very/long">our offer</a>.', "See our offer."),
    ('<a href="https://example.com">https://example.com</a>', "https://example.com"),
])
def test_links_keep_their_text_not_their_url(html, expected):
    assert text(html) == expected


def test_entities_are_decoded_and_whitespace_collapsed():
    html = "<p>Цена&nbsp;&mdash; 5&nbsp;000&nbsp;&#8381; &laquo;под ключ&raquo;,\n   A&amp;B &lt;ok&gt;</p>"
    assert text(html) == "Цена — 5 000 ₽ «под ключ», A&B <ok>"


def test_runs_of_blank_lines_collapse_to_one():
    html = "<div>one</div><div><br></div><div><br></div><p></p><p>&nbsp;</p><div><br><br></div><div>two</div>"
    assert text(html) == "one\n\ntwo"


def test_pre_keeps_its_lines():
    assert text("<pre>a  b\n  c</pre>") == "a  b\nc"


def test_inline_data_uri_images_do_not_eat_the_text_budget():
    image = "A" * 2_000_000
    html = f'<div>Добрый день!</div><img src="data:image/png;base64,{image}"><div>Жду ответа.</div>'
    assert text(html) == "Добрый день!\nЖду ответа."


def test_deeply_nested_html_does_not_overflow():
    html = "<div>" * 5000 + "Глубоко" + "</div>" * 5000
    start = time.perf_counter()
    assert text(html) == "Глубоко"
    assert time.perf_counter() - start < 2  # robustness bound from the issue, not a benchmark


# ---------------------------------------------------------------- quotes

def test_no_quote_in_a_plain_message():
    assert html_to_text("<div>Добрый день!</div><div>Без цитат.</div>").quote_start is None


@pytest.mark.parametrize("html,new,quote", [
    # Gmail, Russian and English: the attribution sits inside div.gmail_quote
    ('<div dir="ltr">Спасибо!</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
     'ср, 3 дек. 2025 г. в 10:15, Иван Петров &lt;ivan@example.ru&gt;:<br></div>'
     '<blockquote class="gmail_quote">Вот договор.</blockquote></div>',
     "Спасибо!", "ср, 3 дек. 2025 г. в 10:15, Иван Петров <ivan@example.ru>:"),
    ('<div>Thanks!</div><div class="gmail_quote gmail_quote_container"><div class="gmail_attr">'
     'On Wed, Dec 3, 2025 at 10:15 AM John &lt;j@example.com&gt; wrote:</div><blockquote>Here it is.</blockquote></div>',
     "Thanks!", "On Wed, Dec 3, 2025 at 10:15 AM John <j@example.com> wrote:"),
    # Yandex: attribution above a bare blockquote
    ('<div>Получил, спасибо.</div><div>03.12.2025, 10:15, "Иван Петров" &lt;ivan@yandex.ru&gt;:</div>'
     '<blockquote><div>Высылаю счёт.</div></blockquote>',
     "Получил, спасибо.", '03.12.2025, 10:15, "Иван Петров" <ivan@yandex.ru>:'),
    # Mail.ru: "... от Имя <адрес>:" then a styled blockquote
    ('<p>Hi. I am fine.</p>Thu, 26 Jun 2014 14:00:51 +0400 от Alexander L &lt;abc@mail.ru&gt;:<br>'
     '<blockquote style="border-left:1px solid #0857A6">Hello!</blockquote>',
     "Hi. I am fine.", "Thu, 26 Jun 2014 14:00:51 +0400 от Alexander L <abc@mail.ru>:"),
    # Apple Mail
    ('<div>Sounds good.</div><div><br><blockquote type="cite"><div>On 3 Dec 2025, at 10:15, Ann wrote:</div>'
     '<div>Lunch?</div></blockquote></div>',
     "Sounds good.", "On 3 Dec 2025, at 10:15, Ann wrote:"),
    # A blockquote without attribution starts the quote itself
    ("<div>Согласен.</div><div>Вот что вы писали</div><blockquote>старый текст</blockquote>",
     "Согласен.\nВот что вы писали", "старый текст"),
])
def test_quote_containers(html, new, quote):
    result = html_to_text(html)
    assert result.text[:result.quote_start].strip() == new
    assert result.text[result.quote_start:].startswith(quote)


@pytest.mark.parametrize("html,first_line", [
    # Outlook (web / new): appendonsend + hr + divRplyFwdMsg
    ('<div>Добрый день, Иван!</div><div>Подписал.</div><div id="appendonsend"></div><hr style="display:inline-block">'
     '<div id="divRplyFwdMsg" dir="ltr"><b>От:</b> Иван Петров &lt;ivan@example.ru&gt;<br><b>Отправлено:</b> 3 декабря 2025 г. 10:15'
     '<br><b>Кому:</b> Ольга</div><div>Прошу подписать.</div>', "От: Иван Петров <ivan@example.ru>"),
    # Outlook desktop: the border-top divider, Russian and English
    ('<p class=MsoNormal>Спасибо.</p><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
     '<p class=MsoNormal><b>От:</b> Иван Петров<br><b>Отправлено:</b> 3 декабря 2025 г. 10:15</p></div>'
     '<p class=MsoNormal>Прошу подписать.</p>', "От: Иван Петров"),
    ('<p class=MsoNormal>Thanks.</p><div style="border:none;border-top:solid #B5C4DF 1.0pt;padding:3.0pt 0in 0in 0in">'
     '<p class=MsoNormal><b>From:</b> John Smith<br><b>Sent:</b> Wednesday, December 3, 2025 10:15 AM</p></div>'
     '<p class=MsoNormal>Please sign.</p>', "From: John Smith"),
    # Hotmail / old Outlook: an hr followed by the header block
    ('<div>Thanks.</div><hr id="stopSpelling">Date: Thu, 26 Jun 2014 13:53:45 +0400<br>From: a@example.com<br>'
     'Hello!', "Date: Thu, 26 Jun 2014 13:53:45 +0400"),
])
def test_outlook_dividers(html, first_line):
    result = html_to_text(html)
    assert result.quote_start is not None
    assert result.text[result.quote_start:].split("\n")[0] == first_line


@pytest.mark.parametrize("html", [
    '<div>Раздел один</div><div style="border-top:solid #E1E1E1 1.0pt">Раздел два</div>',
    "<div>Part one</div><hr><div>Part two</div>",
])
def test_divider_without_header_block_is_not_a_quote(html):
    assert html_to_text(html).quote_start is None


def test_first_quote_wins_and_offset_survives_blank_line_collapsing():
    html = ("<div>Новый текст</div><div><br></div><div><br></div><div><br></div>"
            '<div class="gmail_quote">Первая цитата<blockquote>вложенная</blockquote></div>')
    assert quoted(html) == "Первая цитата\n\nвложенная" or quoted(html).startswith("Первая цитата")
    assert html_to_text(html).text.startswith("Новый текст\n\nПервая цитата")
