"""The CLI contract: text and JSON output, exit codes 0 / 1 / 2, several files, stdin, draft headers."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema

SCHEMA = json.loads((Path(__file__).parent.parent / "mail_lint/schema/verdict.schema.json").read_text())
EML = ("From: Иван <ivan@alfa-solar.ru>\r\nTo: Мария <maria@client.ru>\r\nSubject: =?utf-8?b?0JrQnw==?=\r\n"
       "Date: Wed, 03 Dec 2025 10:00:00 +0300\r\nMessage-ID: <c1@alfa-solar.ru>\r\n"
       "Content-Type: text/plain; charset=utf-8\r\n\r\nМария, добрый день!\r\nПодтвердите заказ до 5 декабря.\r\n")


def test_json_output_validates_against_the_shipped_schema(cli):
    p = cli("check", "--format", "json", "--subject", "Вопрос", "-", input="Добрый день!\nПришлите счёт.\n".encode())
    assert p.returncode in (0, 1), p.stderr
    verdict = json.loads(p.stdout)
    jsonschema.validate(verdict, SCHEMA)
    assert verdict["message"]["subject"] == "Вопрос"
    assert verdict["message"]["language"] == "ru"


def test_rfc822_input_is_a_message(cli):
    p = cli("check", "--format", "json", "-", input=EML.encode())
    verdict = json.loads(p.stdout)
    jsonschema.validate(verdict, SCHEMA)
    assert verdict["message"]["message_id"] == "<c1@alfa-solar.ru>"
    assert verdict["message"]["subject"] == "КП"
    assert verdict["message"]["to"] == ["Мария <maria@client.ru>"]


def test_text_output_reads_like_a_compiler(cli, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("Hi John,\n\nHere is the contract.\n", encoding="utf-8")
    p = cli("check", "--subject", "Hi", str(draft))
    assert f"{draft}:1:1: warning forward.vague-subject: " in p.stdout
    assert "score" in p.stdout.splitlines()[-1]


def test_several_files_give_a_json_array(cli, tmp_path):
    paths = []
    for i in range(2):
        paths.append(tmp_path / f"d{i}.txt")
        paths[-1].write_text("Hi John,\n\nHere is the contract.\n", encoding="utf-8")
    p = cli("check", "--format", "json", *map(str, paths))
    assert isinstance(json.loads(p.stdout), list) and len(json.loads(p.stdout)) == 2


def test_error_finding_exits_1(cli, tmp_path):
    config = tmp_path / "strict.toml"
    config.write_text('[rules]\nseverity = {"forward.vague-subject" = "error"}\n')
    p = cli("check", "--config", str(config), "--subject", "Вопрос", "-", input="Добрый день!\n".encode())
    assert p.returncode == 1
    p = cli("check", "--config", str(config), "--subject", "Счёт №12 на оплату панелей", "-",
            input="Добрый день!\n".encode())
    assert p.returncode in (0, 1)


def test_unusable_input_exits_2_with_one_line(cli, tmp_path):
    p = cli("check", str(tmp_path / "missing.eml"))
    assert p.returncode == 2
    assert len(p.stderr.strip().splitlines()) == 1 and "missing.eml" in p.stderr
    assert "Traceback" not in p.stderr


def test_bad_config_names_the_key(cli, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[forward]\nvague_subject = []\n")
    p = cli("check", "--config", str(config), "-", input=b"Hi")
    assert p.returncode == 2
    assert "forward.vague_subject" in p.stderr and "Traceback" not in p.stderr


def test_usage_error_exits_2(cli):
    p = cli("check", "--format", "xml", "-")
    assert p.returncode == 2 and "Traceback" not in p.stderr


def test_every_verb_has_help_and_takes_config(cli):
    p = cli("--help")
    assert p.returncode == 0 and "check" in p.stdout
    for verb in (["check"], ["serve"], ["watch"], ["digest"], ["token", "create"], ["languagetool", "install"],
                 ["languagetool", "start"], ["rules"], ["config"]):
        p = cli(*verb, "--help")
        assert p.returncode == 0 and "--config" in p.stdout, verb


def test_save_stores_the_verdict_once(cli, tmp_path):
    from mail_lint.store import Store
    db = tmp_path / "cli.db"
    for _ in range(2):
        p = cli("check", "--save", "-", input=EML.encode(), env={"DATABASE_URL": f"sqlite:///{db}"})
        assert p.returncode in (0, 1), p.stderr
    with Store.open(f"sqlite:///{db}") as store:
        items = store.list()
    assert [(i["message_id"], i["source"]) for i in items] == [("<c1@alfa-solar.ru>", "cli")]


def test_save_applies_the_head_s_rule_switches(cli, tmp_path):
    from mail_lint import team
    from mail_lint.store import Store
    db = tmp_path / "cli.db"
    env = {"DATABASE_URL": f"sqlite:///{db}"}
    before = json.loads(cli("check", "--format", "json", "--save", "-", input=EML.encode(), env=env).stdout)
    assert "signature.missing" in {f["name"] for f in before["findings"]}
    with Store.open(f"sqlite:///{db}") as store:
        team.set_switch(store, "signature", updated_by="head@alfa-solar.ru", enabled=False)
    after = json.loads(cli("check", "--format", "json", "--save", "-", input=EML.encode(), env=env).stdout)
    assert not {f["name"] for f in after["findings"]} & {"signature.missing", "signature.incomplete"}
    # Without a store (no --save) the config file alone decides.
    alone = json.loads(cli("check", "--format", "json", "-", input=EML.encode(), env=env).stdout)
    assert "signature.missing" in {f["name"] for f in alone["findings"]}


def _run_capped(args: list[str], stdin=None, memory: int = 2 << 30):
    """The CLI under a 2 GiB address-space cap: an input that is read to its end fails fast here
    instead of eating the machine's memory."""
    import resource
    import subprocess
    import sys

    from conftest import REPO

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    return subprocess.run([sys.executable, "-m", "mail_lint", *args], stdin=stdin, capture_output=True, text=True,
                          cwd=REPO, timeout=120, preexec_fn=cap)


def test_endless_input_is_refused_at_the_size_limit(tmp_path):
    from mail_lint.mime import MAX_RAW_BYTES

    p = _run_capped(["check", "/dev/zero"])
    assert p.returncode == 2, p.stderr
    assert p.stderr.strip().splitlines() == [f"/dev/zero: over the size limit of {MAX_RAW_BYTES} bytes"]
    with open("/dev/zero", "rb") as zero:
        p = _run_capped(["check", "-"], stdin=zero)
    assert p.returncode == 2 and p.stderr.strip() == f"<stdin>: over the size limit of {MAX_RAW_BYTES} bytes"
    big = tmp_path / "big.txt"
    with big.open("wb") as f:  # sparse: a file over the limit without writing it
        f.truncate(MAX_RAW_BYTES + 1)
    p = _run_capped(["check", str(big)])
    assert p.returncode == 2 and "over the size limit" in p.stderr


def test_a_date_that_does_not_parse_is_a_usage_error(cli):
    p = cli("check", "--date", "next friday", "-", input="Добрый день!\nПришлите счёт.\n".encode())
    assert p.returncode == 2
    assert p.stderr.strip().splitlines() == [
        "mail-lint: --date: cannot read 'next friday' as a date (ISO 8601 like 2025-12-03T10:15:00+03:00, "
        "or RFC 2822 like 'Wed, 03 Dec 2025 10:15:00 +0300')"]
    for good in ("2025-12-03T10:15:00+03:00", "Wed, 03 Dec 2025 10:15:00 +0300"):
        p = cli("check", "--format", "json", "--date", good, "-", input="Добрый день!\nПришлите счёт.\n".encode())
        assert p.returncode in (0, 1), p.stderr
        assert json.loads(p.stdout)["message"]["date"] == "2025-12-03T10:15:00+03:00"


def test_save_to_a_store_that_cannot_be_opened_is_one_line(cli, tmp_path):
    (tmp_path / "file").write_text("")
    p = cli("check", "--save", "-", input="Добрый день!\n".encode(),
            env={"DATABASE_URL": f"sqlite:///{tmp_path / 'file' / 'verdicts.db'}"})
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert p.stderr.strip().splitlines() == [f"mail-lint: cannot create the store at {tmp_path / 'file' / 'verdicts.db'}: "
                                             "Not a directory"]


def test_mime_nested_past_the_limit_exits_2_with_one_line(cli, tmp_path):
    from support.hostile import nested_rfc822
    poison = tmp_path / "poison.eml"
    poison.write_bytes(nested_rfc822(1000))
    p = cli("check", str(poison))
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr[-500:]
    assert p.stderr.strip() == f"{poison}: MIME parts nested more than 100 levels deep: not a readable email"


def test_save_with_a_date_header_past_the_calendar(cli, tmp_path):
    """Used to print a traceback (OverflowError converting year 9999 -14:00 to UTC) and exit 1."""
    from mail_lint.store import Store
    db = tmp_path / "cli.db"
    far = EML.replace("Wed, 03 Dec 2025 10:00:00 +0300", "Fri, 31 Dec 9999 23:59:59 -1400")
    p = cli("check", "--save", "-", input=far.encode(), env={"DATABASE_URL": f"sqlite:///{db}"})
    assert p.returncode in (0, 1) and "Traceback" not in p.stderr, p.stderr[-1500:]
    with Store.open(f"sqlite:///{db}") as store:
        assert [i["message_id"] for i in store.list()] == ["<c1@alfa-solar.ru>"]
