"""Speed of the wordiness check alone on ~150-word emails (Russian and English), one core.

Prints emails/s (per second of CPU time, the honest number on a shared machine, and wall clock) for the check's run() on parsed messages and for lint() with only wordiness enabled.
Emails are sampled from a pool of sentences, so texts differ (no whole-text cache helps) while word forms
recur as they do in real mail. Run: python bench/wordiness_speed.py [N]
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mail_lint.checks import Context  # noqa: E402
from mail_lint.config import validate  # noqa: E402
from mail_lint.engine import lint  # noqa: E402
from mail_lint.registry import load_checks  # noqa: E402
from mail_lint.message import from_draft  # noqa: E402
from mail_lint.rules.wordiness import CHECK  # noqa: E402

RU = """В настоящее время мы осуществили оплату счёта за панели.
Хотелось бы в кратчайшие сроки получить закрывающие документы.
Направляю коммерческое предложение на сорок солнечных панелей и два инвертора.
Монтаж займёт три рабочих дня, если кровля готова.
Данный договор мы согласовали с юристами, правок нет.
Пришлите, пожалуйста, данные по объекту до пятницы.
Мы предлагаем широкий спектр услуг и индивидуальный подход к каждому клиенту.
Стоимость доставки до вашего склада составит 45 000 рублей.
На сегодняшний день склад готов принять оборудование.
Собственно, это всё, что нужно для старта работ.
Гарантия на панели двенадцать лет, на инверторы пять лет.
Инженер приедет в среду в 10:00 и проверит крышу.
Если у вас возникнут вопросы, звоните мне напрямую.
Мы очень ценим ваше время и готовы подстроиться под график.
Предоплата 30%, остаток после подписания акта.
В связи с тем, что поставщик задерживает инверторы, отгрузку переносим на понедельник.""".splitlines()
EN = """In order to reserve the panels, please sign the quote by Friday.
I just wanted to follow up on the proposal we sent last week.
The price includes delivery, installation and five years of maintenance.
Due to the fact that the inverters arrive late, we move the delivery to Monday.
Our engineer will visit the site on Wednesday at 10 am.
Please do not hesitate to call me if anything is unclear.
We offer a wide range of services and a very flexible schedule.
At this point in time the warehouse is ready to receive the equipment.
The warranty covers the panels for twelve years and the inverters for five.
Basically, this is all we need to start the work.
A prepayment of 30% is due when the contract is signed.
Could you confirm the roof dimensions by Thursday?""".splitlines()


def email(rng: random.Random, language: str) -> str:
    pool, greeting, closing = ((RU, "Мария, добрый день!", "С уважением,\nИван Петров") if language == "ru"
                               else (EN, "Hi John,", "Best regards,\nIvan Petrov"))
    body, words = [], 0
    while words < 145:
        sentence = rng.choice(pool)
        body.append(sentence)
        words += len(sentence.split())
    paragraphs = [" ".join(body[i:i + 3]) for i in range(0, len(body), 3)]
    return f"{greeting}\n\n" + "\n\n".join(paragraphs) + f"\n\n{closing}\n"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rng = random.Random(7)
    messages = [from_draft(text=email(rng, "ru" if i % 3 else "en")) for i in range(n)]
    config = validate({"rules": {"disable": [c.name for c in load_checks() if c.name != "wordiness"]}})

    t = time.perf_counter()
    first = lint(messages[0], config)
    print(f"first email (loads pymorphy3, textstat): {1000 * (time.perf_counter() - t):.0f} ms")
    words = sum(len(m.span_text(m.writing).split()) for m in messages) / n
    print(f"{n} emails, {words:.0f} words each on average; removable in the first: {first.stats['removable_words']}")

    def rate(step) -> str:
        wall, cpu = time.perf_counter(), time.process_time()
        for m in messages:
            step(m)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return f"{n / cpu:.0f} emails/s of CPU time ({n / wall:.0f}/s wall clock)"

    def run_only(m) -> None:
        CHECK.run(m, Context(options=config.section("wordiness"), timezone=config.timezone))

    print(f"wordiness run() alone: {rate(run_only)}")
    print(f"lint() with only wordiness enabled: {rate(lambda m: lint(m, config))}")

if __name__ == "__main__":
    main()
