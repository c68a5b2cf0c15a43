"""Signature block finding and field reading, below the level of whole cases."""
from __future__ import annotations

import pytest

from mail_lint.config import validate
from mail_lint.engine import lint
from mail_lint.errors import ConfigError
from mail_lint.message import from_draft
from mail_lint.rules.signature import normalized_phone
from mail_lint.rules.support.signature_block import Line, find, phone_spans

SENDER = "Иван Петров <ivan.petrov@alfa-solar.ru>"


def _sig(text: str, sender: str = SENDER):
    return find(from_draft(text=text, sender=sender, to=["Мария <m@client.ru>"]))


def test_fields_of_a_full_russian_signature():
    sig = _sig("Мария, добрый день!\n\nНаправляю КП.\n\nС уважением,\nИван Петров\nменеджер по продажам\n"
               "ООО «Альфа Солар»\nтел.: +7 916 123-45-67, доб. 12\nivan.petrov@alfa-solar.ru\nwww.alfa-solar.ru\n")
    assert sig.signoff.text == "С уважением,"
    assert sig.name == "Иван Петров" and sig.title
    assert [c.text for c in sig.company] == ["ООО «Альфа Солар»"]
    assert [p[2] for p in sig.phones] == ["+7 916 123-45-67"]
    assert sig.emails == ["ivan.petrov@alfa-solar.ru"] and sig.websites == ["www.alfa-solar.ru"]


def test_name_on_the_signoff_line_and_spans_point_into_the_text():
    text = "Hi John,\n\nThe quote is attached.\n\nBest regards, Ivan Petrov\nSales Manager | Alfa Solar LLC\n"
    message = from_draft(text=text, sender=SENDER)
    sig = find(message)
    assert sig.name == "Ivan Petrov" and message.text[slice(*sig.name_span)] == "Ivan Petrov"
    assert sig.title and sig.company
    assert message.text[slice(*sig.span)].startswith("Best regards")


def test_a_thanks_inside_the_body_is_not_a_signoff():
    assert _sig("Мария, добрый день!\n\nСпасибо за встречу, жду ответа до пятницы.\n") is None


def test_the_last_signoff_wins():
    sig = _sig("Мария, добрый день!\n\nСпасибо!\nНаправляю КП.\n\nС уважением,\nИван Петров\n")
    assert sig.signoff.text == "С уважением,"


@pytest.mark.parametrize("line, phones", [
    ("+7 916 123-45-67", ["+7 916 123-45-67"]),
    ("Тел.: 8 (495) 123-45-67", ["8 (495) 123-45-67"]),
    ("M: +44 20 7946 0958", ["+44 20 7946 0958"]),
    ("тел. 123-45-67", ["123-45-67"]),
    ("ИНН 7701234567", []),
    ("ИНН/КПП 7701234567/770101001", []),
    ("Договор от 03.12.2025", []),
    ("1234567890", []),
    ("Received from 172.19.136.29", []),
    ("2016-10-24 15:03 GMT", []),
])
def test_phone_detection(line, phones):
    assert [p[2] for p in phone_spans(Line(0, len(line), line))] == phones


@pytest.mark.parametrize("raw, standard", [
    ("8 (916) 123-45-67", "+7 916 123-45-67"), ("+79161234567", "+7 916 123-45-67"),
    ("(495) 123 45 67", "+7 495 123-45-67"), ("+44 20 7946 0958", ""),
])
def test_normalized_phone(raw, standard):
    assert normalized_phone(raw) == standard


def test_incomplete_names_the_missing_fields_in_the_mail_language():
    ru = from_draft(text="Мария, добрый день!\n\nНаправляю КП.\n\nС уважением,\nИван Петров\nООО «Альфа Солар»\n",
                    sender=SENDER, to=["Мария <m@client.ru>"])
    [hit] = [f for f in lint(ru, validate({})).findings if f.name == "signature.incomplete"]
    assert hit.message == "В подписи нет должности и телефона"
    en = from_draft(text="Hi John,\n\nThe quote is attached.\n\nBest regards,\nIvan Petrov\nAlfa Solar LLC\n",
                    sender=SENDER, to=["John <j@client.com>"])
    [hit] = [f for f in lint(en, validate({})).findings if f.name == "signature.incomplete"]
    assert hit.message == "The signature has no job title or phone"


def test_phone_replacement_is_the_standard_form():
    text = ("Мария, добрый день!\n\nНаправляю КП.\n\nС уважением,\nИван Петров\nменеджер по продажам\n"
            "ООО «Альфа Солар»\n8 (916) 123-45-67\n")
    message = from_draft(text=text, sender=SENDER, to=["Мария <m@client.ru>"])
    [hit] = [f for f in lint(message, validate({})).findings if f.name == "signature.nonstandard"]
    assert message.text[hit.start:hit.end] == "8 (916) 123-45-67" and hit.replacements == ["+7 916 123-45-67"]


def test_unknown_required_field_is_reported_not_ignored():
    with pytest.raises(ConfigError, match="signature.required.*fax"):
        validate({"signature": {"required": ["name", "fax"]}})
