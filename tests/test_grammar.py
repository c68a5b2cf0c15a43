"""The grammar check through the engine, against a real LanguageTool server (see conftest_lt.py)."""
from __future__ import annotations

import re

import pytest

from mail_lint.checks import Services
from mail_lint.config import validate
from mail_lint.engine import lint
from mail_lint.languagetool import LanguageToolClient
from mail_lint.message import from_draft

pytest_plugins = ("conftest_lt",)

RU_SIGNATURE = "\n\nС уважением,\nИван Петров\nменеджер, Альфа Солар\n+7 495 123-45-67"
EN_SIGNATURE = "\n\nBest regards,\nJohn Smith\nSales manager, Alfa Solar"


def grammar_findings(text: str, services: Services, config: dict | None = None, language: str | None = None,
                     to: str = "Мария <maria@client.ru>"):
    message = from_draft(text=text, subject="Поставка панелей", to=to, language=language)
    verdict = lint(message, validate(config or {}), services)
    return message, verdict, [f for f in verdict.findings if f.check == "grammar"]


def covered(message, findings) -> dict[str, object]:
    """wrong text -> finding"""
    return {message.text[f.start:f.end]: f for f in findings}


@pytest.fixture(scope="module")
def services(lt_client):
    return Services(languagetool=lt_client)


RU_TEXT = ("Мария, добрый день!\nПоставим панели в течении месяца, не смотря на праздники. "
           "Жду подтверждения до пятници, по всем вопросам прошу обращатся ко мне." + RU_SIGNATURE)


@pytest.mark.parametrize("wrong, name, severity, replacement", [
    ("в течении месяца", "grammar.V_TECHENIЕ", "warning", "в течение месяца"),  # sic: LanguageTool's id has a Cyrillic Е
    ("не смотря на", "grammar.Pravopisanie_slitno1", "warning", "несмотря на"),
    ("пятници", "spelling.MORFOLOGIK_RULE_RU_RU", "error", "пятнице"),
    ("обращатся", "spelling.MORFOLOGIK_RULE_RU_RU", "error", "обращаться"),
])
def test_russian_mistakes(services, wrong, name, severity, replacement):
    message, _, findings = grammar_findings(RU_TEXT, services)
    assert message.language == "ru"
    found = covered(message, findings)
    assert wrong in found, f"{wrong!r} not flagged; flagged: {list(found)}"
    f = found[wrong]
    assert (f.name, f.severity, f.code) == (name, severity, "EM602" if name.startswith("spelling") else "EM601")
    assert replacement in f.replacements and len(f.replacements) <= 5
    assert re.search("[а-яё]", f.message, re.I), "a Russian email gets Russian messages"


EN_TEXT = "Hi Mary,\nI'm afraid their is a problem: we didn't recieve the signed contract." + EN_SIGNATURE


@pytest.mark.parametrize("wrong, name, severity, replacement", [
    ("their", "grammar.THEIR_IS", "error", "there"),  # LanguageTool files this confusion as a misspelling
    ("recieve", "spelling.MORFOLOGIK_RULE_EN_US", "error", "receive"),
])
def test_english_mistakes(services, wrong, name, severity, replacement):
    message, verdict, findings = grammar_findings(EN_TEXT, services)
    assert message.language == "en"
    f = covered(message, findings)[wrong]
    assert (f.name, f.severity) == (name, severity)
    assert replacement in f.replacements
    assert verdict.checks["grammar"]["status"] == "fail"


def test_emoji_before_the_errors_keeps_spans_exact(services):
    text = "Мария, добрый день! 👍👍\nДоговор 🚀 подпишем в течении месяца 😀, жду ответа до пятници." + RU_SIGNATURE
    message, _, findings = grammar_findings(text, services)
    assert {"в течении месяца", "пятници"} <= set(covered(message, findings))


def test_quoted_history_and_signature_are_not_checked(services):
    text = ("Мария, добрый день!\nДоговор во вложении, жду ответа до среды.\n\n"
            "С уважением,\nИван Петров, обращатся по телефону\n\n"
            "> Иван, пришлите договор в течении месяца, не смотря на сроки. Жду до пятници.")
    message, verdict, findings = grammar_findings(text, services)
    assert message.parts.quoted and message.parts.signature
    assert findings == [], [(f.name, message.text[f.start:f.end]) for f in findings]
    assert verdict.checks["grammar"]["status"] == "pass"


COMPANY_TEXT = "Мария, добрый день!\nКоманда Солартекс и Альфа Солар подготовила КП для Гелиокомп." + RU_SIGNATURE


def test_company_words_are_not_misspellings(services, tmp_path):
    message, _, before = grammar_findings(COMPANY_TEXT, services)
    flagged = set(covered(message, before))
    assert {"Солартекс", "Гелиокомп"} <= flagged  # LanguageTool alone does not know them

    words_file = tmp_path / "words.txt"
    words_file.write_text("# clients\nгелиокомп\n", encoding="utf-8")
    config = {"grammar": {"words": ["СоларТекс", "Альфа Солар"], "words_file": str(words_file)}}
    message, _, after = grammar_findings(COMPANY_TEXT, services, config)
    assert not {"Солартекс", "Гелиокомп", "Солар"} & set(covered(message, after))


def test_a_word_of_a_multi_word_company_name_is_not_a_misspelling(services):
    text = "Hi Mary,\nAlfa Solar and Zentrix Labs will send the quote today." + EN_SIGNATURE
    message, _, before = grammar_findings(text, services)
    assert "Zentrix" in covered(message, before)
    message, _, after = grammar_findings(text, services, {"grammar": {"words": ["Zentrix Labs"]}})
    assert "Zentrix" not in covered(message, after)


def test_plain_text_noise_rules_are_off_by_default_and_can_be_turned_on(services):
    text = "Hi Mary,\nThe price is  valid for 2-3 weeks." + EN_SIGNATURE
    message, _, default = grammar_findings(text, services)
    assert not default, [f.name for f in default]
    message, _, enabled = grammar_findings(text, services,
                                           {"grammar": {"enable_rules": ["WHITESPACE_RULE", "HYPHEN_TO_EN"]}})
    names = {f.name: message.text[f.start:f.end] for f in enabled}
    assert names.get("grammar.WHITESPACE_RULE") == "  " and names.get("grammar.HYPHEN_TO_EN") == "2-3"
    assert all(f.severity == "suggestion" for f in enabled)


def test_without_languagetool_grammar_is_unavailable_and_nothing_is_invented():
    _, verdict, findings = grammar_findings(EN_TEXT, Services())
    assert findings == []
    assert verdict.checks["grammar"]["status"] == "unavailable"
    assert "not configured" in verdict.checks["grammar"]["reason"]


def test_a_hung_server_makes_grammar_unavailable(silent_server):
    services = Services(languagetool=LanguageToolClient(silent_server, timeout=1.0))
    _, verdict, findings = grammar_findings(RU_TEXT, services)
    assert findings == []
    assert verdict.checks["grammar"]["status"] == "unavailable"
    assert verdict.passed  # no error was invented; see the check's docs for what `passed` means then


def test_grammar_off_through_rules_disable(services):
    _, verdict, findings = grammar_findings(RU_TEXT, services, {"rules": {"disable": ["grammar"]}})
    assert findings == [] and "grammar" not in verdict.checks


# -- fewer false alarms ----------------------------------------------------------------------------

def spelled(message, findings) -> set[str]:
    return {message.text[f.start:f.end] for f in findings if f.name.startswith("spelling.")}


def test_hyphenated_russian_compounds_are_words_and_a_typo_in_one_is_not(services):
    text = ("Мария, добрый день!\nМонтаж сплит-систем и онлайн-оплата включены, бизнес-ланч за наш счёт. "
            "А вот сплиит-систему мы не ставим." + RU_SIGNATURE)
    message, _, findings = grammar_findings(text, services)
    flagged = spelled(message, findings)
    assert not {"сплит-систем", "онлайн-оплата", "бизнес-ланч"} & flagged, flagged
    assert "сплиит-систему" in flagged  # a compound with a misspelt part is still a misspelling


def test_codes_units_addresses_and_links_are_not_misspellings(services):
    text = ("Мария, добрый день!\nАккумулятор LiFePO4 на 5кВт·ч, инвертор ИнвП-5000кВ, модули PERC-540Вт, 3,5кг. "
            "Каталог: https://alfa-solar.ru/katalog/solnechnye-paneli?tip=mono и www.alfasolar.ru/dostavka-i-oplata, "
            "почта prodazhi.otdel@alfasolar.ru. Жду ответа до пятници." + RU_SIGNATURE)
    message, _, findings = grammar_findings(text, services)
    assert spelled(message, findings) == {"пятници"}


def test_not_a_word_covers_addresses_links_and_tokens_with_digits():
    from mail_lint.rules.grammar import _not_a_word
    text = "write to ivan.petrov@alfasolar.ru or see https://alfa-solar.ru/katalogg, model SPX450M; recieve"
    for token in ("petrov", "alfasolar", "katalogg", "SPX450M"):
        at = text.index(token)
        assert _not_a_word(text, at, at + len(token)), token
    at = text.index("recieve")
    assert not _not_a_word(text, at, at + len("recieve"))


LICENCES = "Hi Mary,\nThe licences for the colour panels are attached, see the catalogue. I didn't recieve your order." + EN_SIGNATURE


def test_english_variant_follows_the_recipients_country_domain(services):
    message, _, findings = grammar_findings(LICENCES, services, to="Mary Jones <mary@client.co.uk>")
    assert spelled(message, findings) == {"recieve"}
    message, _, findings = grammar_findings(LICENCES, services, to="Mary Jones <mary@client.com>")
    assert {"licences", "colour", "recieve"} <= spelled(message, findings)
    message, _, findings = grammar_findings(LICENCES, services, to="Mary Jones <mary@client.com.au>")
    assert spelled(message, findings) == {"recieve"}


def test_english_variant_from_the_config_wins(services):
    config = {"grammar": {"variant": "en-GB"}}
    message, _, findings = grammar_findings(LICENCES, services, config, to="Mary Jones <mary@client.com>")
    assert spelled(message, findings) == {"recieve"}
    config = {"grammar": {"variant": "en-US"}}
    message, _, findings = grammar_findings(LICENCES, services, config, to="Mary Jones <mary@client.co.uk>")
    assert "licences" in spelled(message, findings)


def test_an_unknown_english_variant_is_a_config_error():
    from mail_lint.errors import ConfigError
    with pytest.raises(ConfigError, match="grammar.variant"):
        validate({"grammar": {"variant": "en-XX"}})


def test_a_suspected_name_warns_and_a_plain_typo_blocks(services):
    text = ("Мария, добрый день!\nПанели поставит компания Зентрикс, а инвертор даст Solarix. "
            "Жду ответа до пятници." + RU_SIGNATURE)
    message, verdict, findings = grammar_findings(text, services)
    severities = {message.text[f.start:f.end]: f.severity for f in findings if f.name.startswith("spelling.")}
    assert severities.get("Зентрикс") == "warning", severities
    assert severities.get("пятници") == "error", severities
    assert "Solarix" not in severities or severities["Solarix"] == "warning"

    text = ("Hi Mary,\nRecieved your order, thanks. Our partner Zentrix will call you. I didn't recieve the invoice."
            + EN_SIGNATURE)
    message, _, findings = grammar_findings(text, services)
    severities = {message.text[f.start:f.end]: f.severity for f in findings if f.name.startswith("spelling.")}
    # A capitalised word that starts a line or a sentence is no more likely a name than any other.
    assert severities == {"Recieved": "error", "Zentrix": "warning", "recieve": "error"}


def test_a_dictionary_word_covers_its_inflected_forms(services):
    text = "Мария, добрый день!\nДоговор с Зентриксом подписан, от Зентрикса ждём оплату." + RU_SIGNATURE
    message, _, before = grammar_findings(text, services)
    assert {"Зентриксом", "Зентрикса"} <= spelled(message, before)
    message, _, after = grammar_findings(text, services, {"grammar": {"words": ["Зентрикс"]}})
    assert not {"Зентриксом", "Зентрикса"} & spelled(message, after)
