"""Rendering the digest: HTML (in a real headless Chromium, screenshot kept), Markdown, CSV, plain text."""
from __future__ import annotations

import csv
import io
import zlib
from html import escape
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mail_lint.config import validate
from mail_lint.digest import digest_json, private_digest
from mail_lint.digest.chart import bar_chart
from mail_lint.digest.render import render, render_html
from mail_lint.store import Store
from support.screenshots import screenshot
from support.verdicts import seed

MSK = ZoneInfo("Europe/Moscow")

# Who writes what: (email, name, weekly mean scores oldest first, this week's rule names per email)
TEAM = [
    ("olga@alfa-solar.ru", "Ольга Смирнова", [78, 81, 84, 86, 88, 90, 91], [(), ("wordiness.stop-word",), ()]),
    ("ivan@alfa-solar.ru", "Иван Петров", [62, 60, 66, 70, 68, 74, 72],
     [("greeting.unnamed", "cta.no-deadline"), ("cta.no-deadline",), ("greeting.unnamed",), ()]),
    ("boris@alfa-solar.ru", "Борис Кузнецов", [None, None, 55, 58, 61, 57, 64],
     [("signature.incomplete", "forward.vague-subject", "cta.missing"), ("forward.vague-subject",)]),
    ("anna@alfa-solar.ru", "Анна Волкова", [None, None, None, None, None, None, None],
     [("greeting.missing",)]),
]
SUBJECTS = ["Коммерческое предложение на солнечные панели для склада в Подольске",
            "Счёт на оплату по договору № 45-2025", "Re: монтаж инверторов", "График поставки на декабрь"]


@pytest.fixture
def config():
    return validate({"general": {"timezone": "Europe/Moscow"},
                     "digest": {"base_url": "https://lint.alfa-solar.ru"}})


@pytest.fixture
def digest(tmp_path, monkeypatch, config) -> dict:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with Store.open(f"sqlite:///{tmp_path / 'digest.db'}") as store:
        seed_team(store)
        yield digest_json(store, config, "2025-W49")


def seed_team(store) -> None:
    """Seven earlier weeks at the given means (with last week's rules), then week 2025-W49."""
    monday = datetime(2025, 12, 1, 10, tzinfo=MSK)
    for email, name, means, this_week in TEAM:
        for back, mean in enumerate(reversed(means), 1):
            if mean is not None:
                day = monday - timedelta(weeks=back)
                seed(store, email, day, mean - 4, ("cta.no-deadline", "wordiness.stop-word"), name=name)
                seed(store, email, day + timedelta(days=1), mean + 4, ("greeting.unnamed",), name=name)
        for i, names in enumerate(this_week):
            score = max(30, 100 - 12 * len(names) - (5 if email.startswith("boris") else 0))
            seed(store, email, monday + timedelta(days=i, hours=i), score, names, name=name,
                 subject=SUBJECTS[i % len(SUBJECTS)])


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# -- HTML ------------------------------------------------------------------------------------------

def test_head_digest_renders_in_chromium(digest, tmp_path):
    html = render(digest, "html", "ru")
    shot = screenshot(html, "digest-head-ru", tmp_path)
    assert png_size(shot.read_bytes()) == (1000, 1400)
    for text in ("Качество писем: неделя 49", "1–7 декабря 2025", "Ольга Смирнова", "Менеджеры: сначала доля прошедших писем, затем балл",
                 "приветствие без имени", "Повторились", "data:image/png;base64,"):
        assert text in html


def test_private_digest_renders_in_chromium(digest, tmp_path):
    html = render(private_digest(digest, "ivan@alfa-solar.ru"), "html", "ru")
    screenshot(html, "digest-private-ru", tmp_path)
    assert "Иван, вот итоги вашей недели." in html and "Этот отчёт видите только вы." in html
    assert "Ольга" not in html and "boris@" not in html


def test_english_digest(digest, tmp_path):
    html = render(digest, "html", "en")
    screenshot(html, "digest-head-en", tmp_path)
    assert "Email quality: week 49" in html and "1–7 December 2025" in html and "Managers by pass rate, then mean score" in html
    assert "Качество" not in html


def test_html_for_mail_uses_cid_images_and_no_stylesheet(digest):
    rendered = render_html(digest, "ru", embed="cid")
    assert "data:image" not in rendered.html and "<style" not in rendered.html and "<svg" not in rendered.html
    assert "<script" not in rendered.html
    assert set(rendered.images) == {"chart-team@mail-lint"} | {f"trend-{i}@mail-lint"
                                                               for i in range(1, len(digest["managers"]) + 1)}
    for name, png in rendered.images.items():
        assert f'src="cid:{name}"' in rendered.html
        assert png_size(png)[0] > 0


def test_links_to_annotated_verdicts(digest):
    html = render(digest, "html", "ru")
    for m in digest["managers"]:
        for key in ("best", "worst"):
            if m[key] is not None:
                link = m[f"{key}_url"]
                assert link.startswith(f"https://lint.alfa-solar.ru/v1/verdicts/{m[key]}/view?reader=head&expires=")
                assert escape(link) in html


def test_empty_week_renders_a_sentence(tmp_path, monkeypatch, config):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with Store.open(f"sqlite:///{tmp_path / 'empty.db'}") as store:
        empty = digest_json(store, config, "2025-W49")
    assert "За эту неделю проверенных писем нет." in render(empty, "html", "ru")
    assert "За эту неделю проверенных писем нет." in render(empty, "text", "ru")
    assert render(empty, "csv").strip() == "week,rank,email,name,emails,mean_score,change,pass_rate,top_rules," \
                                           "repeated,fixed,best,worst"


# -- the chart ------------------------------------------------------------------------------------

def test_bar_chart_is_a_valid_png_with_coloured_bars():
    data = bar_chart([90, None, 50], 30, 20, scale=1)
    assert png_size(data) == (30, 20)
    idat = data[data.index(b"IDAT") + 4:data.index(b"IEND") - 8]
    rows = zlib.decompress(idat)
    bottom = rows[-(1 + 30 * 3) + 1:]  # the last row without its filter byte
    pixel = lambda x: tuple(bottom[x * 3:x * 3 + 3])  # noqa: E731
    assert pixel(5) != (255, 255, 255)                 # the first bar reaches the baseline
    assert pixel(25) == (220, 76, 76)                  # the last bar (50: red) in full colour


# -- text formats ---------------------------------------------------------------------------------

def test_plain_text_reads_like_a_letter(digest):
    text = render(digest, "text", "ru")
    assert text.startswith("Качество писем: неделя 49 (1–7 декабря 2025)\n")
    assert "1. Ольга Смирнова: " in text
    assert "Анна Волкова: 88, 1 письмо" in text
    assert "<" not in text.split("Подробно")[0]  # no markup in the summary


def test_markdown_has_a_team_table(digest):
    md = render(digest, "md", "ru")
    assert md.startswith("# Качество писем: неделя 49\n")
    assert "| # | Менеджер | Писем | Балл | Изм. | Прошли |" in md
    assert "| 1 | Ольга Смирнова |" in md


def test_csv_one_row_per_manager(digest):
    rows = list(csv.DictReader(io.StringIO(render(digest, "csv"))))
    assert [r["email"] for r in rows] == [m["email"] for m in digest["managers"]]
    ivan = next(r for r in rows if r["email"] == "ivan@alfa-solar.ru")
    source = next(m for m in digest["managers"] if m["email"] == "ivan@alfa-solar.ru")
    assert float(ivan["mean_score"]) == source["mean_score"] and ivan["repeated"] == ";".join(source["repeated"])
