"""Realistic ~150-word sales emails (Russian and English) built from sentence pools, reproducibly.

The benchmarks use them where a real corpus of sales mail is not at hand; ../shared/corpora is used
as well where it exists.
"""
from __future__ import annotations

import random

RU = {
    "greet": ["Мария, добрый день!", "Добрый день, Иван Петрович!", "Здравствуйте!", "Коллеги, добрый день!",
              "Уважаемый Сергей Викторович!"],
    "body": ["Как договаривались, направляю коммерческое предложение во вложении.",
             "В настоящее время мы осуществляем поставку панелей в кратчайшие сроки.",
             "Цена за 40 панелей составляет 1,2 млн рублей с монтажом.",
             "Срок поставки — три недели после предоплаты, монтаж занимает два дня.",
             "Хотелось бы отметить, что на сегодняшний день цены являются минимальными.",
             "Мы предлагаем индивидуальный подход и широкий спектр услуг по обслуживанию.",
             "Гарантия на оборудование — 10 лет, на монтаж — 3 года.",
             "Если объём увеличится до 60 панелей, мы сможем дать скидку 7 процентов.",
             "Наш инженер может приехать на объект в любой рабочий день.",
             "Собственно, по договору у нас остался один открытый вопрос — порядок оплаты."],
    "ask": ["Подтвердите, пожалуйста, количество до пятницы.", "Пришлите, пожалуйста, реквизиты для счёта.",
            "Сможете согласовать договор до 15 декабря?", "Прошу сообщить, удобно ли созвониться завтра в 11:00.",
            "Будем рады сотрудничеству."],
    "sign": ["С уважением,\nИван Петров\nменеджер по продажам, Альфа Солар\n+7 495 123-45-67",
             "С уважением,\nИван", "--\nАнна Смирнова\nАльфа Солар\n8 (800) 555-35-35"],
}
EN = {
    "greet": ["Hi John,", "Dear Ms. Smith,", "Hello team,", "Hi,", "Good morning Anna,"],
    "body": ["As discussed, please find attached our quote for 40 panels.",
             "I just wanted to follow up on our call last week.",
             "The price for 40 panels is 21,000 USD including installation.",
             "Delivery takes three weeks after the advance payment, installation two days.",
             "In order to proceed we basically need your confirmation of the quantity.",
             "Due to the fact that prices change monthly, this offer is valid until December 15.",
             "Our engineer can visit the site on any working day.",
             "The warranty covers the equipment for ten years and the installation for three.",
             "At this point in time we have enough stock for your order.",
             "If the volume grows to 60 panels we can offer a 7 percent discount."],
    "ask": ["Could you confirm the quantity by Friday?", "Please send us your company details for the invoice.",
            "Let me know if a call tomorrow at 11 am works for you.", "Please do not hesitate to contact me.",
            "Thank you for your time."],
    "sign": ["Best regards,\nIvan Petrov\nSales Manager, Alfa Solar\n+7 495 123-45-67", "Regards,\nIvan",
             "Thanks,\nAnna Smirnova\nAlfa Solar"],
}


def sales_email(rng: random.Random, pool: dict, words: int = 150) -> str:
    body, count = [], 0
    while count < words - 25:
        sentence = rng.choice(pool["body"])
        body.append(sentence)
        count += len(sentence.split())
    paragraphs = [" ".join(body[i:i + 3]) for i in range(0, len(body), 3)]
    return "\n\n".join([rng.choice(pool["greet"]), *paragraphs, rng.choice(pool["ask"]), rng.choice(pool["sign"])]) + "\n"


def sales_emails(n: int, seed: int = 7) -> list[dict]:
    """n drafts, about two thirds Russian: {"subject", "text", "to", "from", "date", "language"}."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        ru = i % 3 != 2
        out.append({"subject": rng.choice(["КП на 40 панелей", "Документы", "Re: Договор поставки №17"]) if ru
                    else rng.choice(["Quote for 40 panels", "Follow up", "Re: Supply contract #17"]),
                    "text": sales_email(rng, RU if ru else EN),
                    "to": ["Мария Соколова <m.sokolova@stroymontazh.ru>"] if ru else ["John Smith <john.smith@example.com>"],
                    "from": "Иван Петров <ivan.petrov@alfa-solar.ru>", "date": "2025-12-03T10:15:00+03:00",
                    "language": "ru" if ru else "en"})
    return out
