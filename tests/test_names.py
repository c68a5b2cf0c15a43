"""Name matching: diminutives, inflection, transliteration, address local parts."""
from __future__ import annotations

import pytest

from mail_lint.rules.support.names import name_key, recipient, same_name, suggested_name, to_cyrillic, to_latin


@pytest.mark.parametrize("a, b", [
    ("Маша", "Мария"), ("Мария", "Maria"), ("Masha", "Мария"), ("Иван", "Ivan"), ("Саша", "Alexander"),
    ("Саша", "Александра"), ("Дима", "Dmitry"), ("Дмитрий", "Dmitriy"), ("Юлия", "Julia"), ("Yelena", "Елена"),
    ("Наталья", "Natalia"), ("Наталья", "Наталия"), ("Евгений", "Yevgeny"), ("Алексей", "Alexei"),
    ("Михаил", "Mikhail"), ("Ксения", "Xenia"), ("Сергей", "Sergej"), ("Aleksandr", "Alexander"),
    ("Bob", "Robert"), ("Ивану", "Иван"), ("Марии", "Мария"), ("Соколова", "Sokolova"), ("Соколовой", "Соколова"),
    ("Катя", "Екатерина"), ("Katya", "Екатерина"), ("Пётр", "Петр"),
])
def test_same_person(a, b):
    assert same_name(a, b) and same_name(b, a)


@pytest.mark.parametrize("a, b", [
    ("Мария", "Марина"), ("Олег", "Ольга"), ("Иван", "Иванов"), ("Петров", "Пётр"), ("John", "Ivan"),
    ("Анна", "Алла"), ("Саша", "Маша"),
])
def test_different_people(a, b):
    assert not same_name(a, b)


def test_keys_are_script_free():
    assert name_key("Дмитрий") == name_key("Dmitry") == name_key("Dmitrii")
    assert name_key("Джон") == name_key("John")


def test_transliteration_both_ways():
    assert to_latin("Мария") == "Maria"
    assert to_latin("Юлия Щукина") == "Yulia Shchukina"
    assert to_cyrillic("ivan") == "иван"
    assert to_cyrillic("maria") == "мария"


def test_display_name_and_local_part():
    r = recipient("Иван Петров", "ivan.petrov@client.ru")
    assert r.matches("Иван") and r.matches("Ваня") and r.matches("Ivan") and r.matches("Петров")
    assert not r.matches("Олег")


def test_surname_first_display_name_with_patronymic():
    r = recipient("Соколова Мария Ивановна", "m.sokolova@client.ru")
    assert r.first_name == "Мария" and r.patronymic == "Ивановна"
    assert suggested_name(r, "ru") == "Мария Ивановна"
    assert suggested_name(r, "en") == "Maria"


def test_local_part_alone():
    dotted = recipient("", "ivan.petrov@client.ru")
    assert dotted.first_name_known and dotted.matches("Иван") and not dotted.matches("Мария")
    initial = recipient("", "m.sokolova@client.ru")
    assert initial.matches("Мария") and initial.matches("Маша") and not initial.matches("Иван")
    glued = recipient("", "mariasokolova@client.ru")
    assert glued.matches("Мария")


def test_role_mailbox_reveals_no_name():
    for address in ("info@client.ru", "sales@client.ru", "zakaz@client.ru"):
        r = recipient("", address)
        assert not r.first_name_known and not r.surname_known and not r.names


def test_surname_only_local_part_cannot_check_a_first_name():
    r = recipient("", "petrov@client.ru")
    assert r.surname_known and not r.first_name_known


def test_company_display_name_is_not_a_person():
    assert recipient("Отдел продаж", "sales@client.ru").names == []
    assert recipient("Sales Team", "team@client.com").names == []


def test_latin_display_name_suggested_in_cyrillic_for_russian_mail():
    r = recipient("Maria Sokolova", "maria@client.com")
    assert suggested_name(r, "ru") == "Мария"
    assert suggested_name(r, "en") == "Maria"


def test_latin_c_and_dzh():
    assert same_name("Victor", "Виктор") and same_name("Jessica", "Джессика")
