"""LanguageTool install, server lifecycle and client, against a real server (see conftest_lt.py)."""
from __future__ import annotations

import importlib
import os
import signal
import threading
import time

import pytest

from conftest import run_cli
from mail_lint.checks import CheckUnavailable, Services
from mail_lint.config import validate
from mail_lint.languagetool import LanguageToolClient, connect, install
from mail_lint.languagetool.client import utf16_to_index
from mail_lint.languagetool.install import InstallError, assembly_pom
from mail_lint.languagetool.server import check_threads, free_port, is_healthy, server_properties

pytest_plugins = ("conftest_lt",)
# The package re-exports the function `install`, which hides the module of the same name.
install_module = importlib.import_module("mail_lint.languagetool.install")


# --- install -------------------------------------------------------------------------------------

def test_assembly_pom_takes_server_without_language_all_plus_ru_and_en():
    pom = assembly_pom("6.8")
    assert "<artifactId>languagetool-server</artifactId><version>6.8</version>" in pom
    assert "<exclusion><groupId>org.languagetool</groupId><artifactId>language-all</artifactId>" in pom
    for lang in ("ru", "en"):
        assert f"<artifactId>language-{lang}</artifactId><version>6.8</version><exclusions></exclusions>" in pom


def test_repeated_install_reuses_the_cache_without_maven(lt_installation, monkeypatch):
    real_which = install_module.shutil.which
    monkeypatch.setattr(install_module.shutil, "which", lambda name: None if name == "mvn" else real_which(name))
    lib = install()  # would raise "Maven is needed" if it tried to fetch anything
    assert lib == lt_installation.lib


def test_install_says_java_is_missing(tmp_path):
    with pytest.raises(InstallError, match=r"Java 17\+ is needed.*not found"):
        install(home=tmp_path, java="no-such-java-binary")


def test_install_says_maven_is_missing(tmp_path, monkeypatch):
    if install_module.java_version() is None:
        pytest.skip("no Java here: the Java message comes first")
    real_which = install_module.shutil.which
    monkeypatch.setattr(install_module.shutil, "which", lambda name: None if name == "mvn" else real_which(name))
    with pytest.raises(InstallError, match="Maven is needed"):
        install(home=tmp_path)


def test_cli_install_without_java_is_one_clear_line(tmp_path):
    result = run_cli("languagetool", "install", env={"MAIL_LINT_LT_HOME": str(tmp_path), "PATH": str(tmp_path)})
    assert result.returncode == 2
    assert "Java 17+ is needed" in result.stderr and "Traceback" not in result.stderr


# --- offsets -------------------------------------------------------------------------------------

def test_utf16_offsets_become_python_indices():
    text = "a👍b😀c"  # Python: a=0 👍=1 b=2 😀=3 c=4; UTF-16: a=0 👍=1,2 b=3 😀=4,5 c=6
    to_index = utf16_to_index(text)
    assert [to_index(o) for o in (0, 1, 3, 4, 6, 7)] == [0, 1, 2, 3, 4, 5]
    assert utf16_to_index("обычный текст")(7) == 7


# --- server and client ---------------------------------------------------------------------------

def test_server_listens_on_loopback_and_knows_ru_and_en(lt_server):
    assert lt_server.url.startswith("http://127.0.0.1:")
    assert is_healthy(lt_server.url)


def test_client_checks_against_a_url(lt_server):
    client = LanguageToolClient(lt_server.url, timeout=60)
    matches = client.check("I didn't recieve it.", "en-US")
    assert [m.rule_id for m in matches] == ["MORFOLOGIK_RULE_EN_US"]


def test_emoji_before_the_error_keeps_the_span_exact(lt_client):
    text = "Привет 👍👍! Жду ответа до пятници 😀, обращатся ко мне."
    found = {text[m.start:m.end] for m in lt_client.check(text, "ru-RU")}
    assert {"пятници", "обращатся"} <= found


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {timeout:.0f} s"
        time.sleep(0.1)


def test_a_dead_server_is_unavailable_at_once_and_restarted_in_the_background(lt_server):
    """A JVM start takes seconds: a check must not wait for it (the add-in gives up after 5 s and sends the mail
    unchecked). LanguageTool is killed mid-run, during a check and between checks."""
    from mail_lint.engine import lint
    from mail_lint.message import from_draft

    timeout = 5.0
    client = LanguageToolClient(timeout=timeout, server=lt_server)
    assert [m.rule_id for m in client.check("Their is a problem.", "en-US")] == ["THEIR_IS"]
    old_pid, restarts = lt_server.pid, lt_server.restarts

    # Killed under a check that is still running: that check is unavailable, promptly.
    long_text = "Their is a problem with the invoice we recieved yesterday. " * 400
    outcome: list = []
    thread = threading.Thread(target=lambda: outcome.append(_check_or_error(client, long_text)))
    thread.start()
    time.sleep(0.3)
    killed = time.monotonic()
    os.kill(old_pid, signal.SIGKILL)
    thread.join(timeout + 5)
    assert outcome, "the check under the killed server did not return within the timeout"
    assert isinstance(outcome[0], CheckUnavailable) or outcome[0], outcome  # it may have finished first
    assert time.monotonic() - killed < timeout

    # The next checks, while the server restarts: unavailable within the timeout, never a wait for the JVM.
    wait_for(lambda: not lt_server.alive() or lt_server.pid != old_pid, 10, "the killed JVM is gone")
    for n in range(3):
        started = time.monotonic()
        with pytest.raises(CheckUnavailable):
            client.check(f"Their is a problem number {n}.", "en-US")  # never checked: it needs the server
        assert time.monotonic() - started < timeout
    # A paragraph checked before is answered from the cache meanwhile: the same answer, no server needed.
    assert [m.rule_id for m in client.check("Their is a problem.", "en-US")] == ["THEIR_IS"]
    draft = from_draft(text="Hi Tom,\n\nTheir is a problem with the invoice. Please send it by Friday.\n\nBest,\nAnn",
                       to="Tom <tom@client.com>", sender="ann@alfa-solar.ru", date="2025-12-03T10:00:00+03:00")
    started = time.monotonic()
    verdict = lint(draft, validate({"grammar": {"timeout": timeout}}), Services(languagetool=client)).to_json()
    assert verdict["checks"]["grammar"]["status"] == "unavailable" and time.monotonic() - started < timeout

    # Meanwhile a thread of its own has started a new JVM; checks work again.
    wait_for(lt_server.ready, 180, "LanguageTool restarted in the background")
    assert lt_server.pid != old_pid and lt_server.restarts == restarts + 1
    assert [m.rule_id for m in client.check("Their is a problem after the restart.", "en-US")] == ["THEIR_IS"]


def _check_or_error(client, text):
    try:
        return client.check(text, "en-US")
    except CheckUnavailable as e:
        return e


def test_silent_server_makes_the_check_unavailable_within_the_timeout(silent_server):
    client = LanguageToolClient(silent_server, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(CheckUnavailable, match="did not answer"):
        client.check("Their is a problem.", "en-US")
    assert time.monotonic() - started < 4  # one try of 1 s, not the library's 300 s times two


def test_refused_connection_makes_the_check_unavailable(closed_port_url):
    with pytest.raises(CheckUnavailable):
        LanguageToolClient(closed_port_url, timeout=1.0).check("text", "ru-RU")


def test_connect_uses_the_configured_url(lt_server):
    client = connect(validate({"grammar": {"url": lt_server.url, "timeout": 30.0}}))
    assert client is not None and client.server is None and client.url == lt_server.url
    assert client.timeout == 30.0
    assert [m.rule_id for m in client.check("Their is a problem.", "en-US")] == ["THEIR_IS"]


def test_connect_without_an_install_gives_no_client(tmp_path, monkeypatch):
    monkeypatch.setenv("MAIL_LINT_LT_HOME", str(tmp_path))
    assert connect(validate({})) is None


def test_cli_start_on_a_busy_port_is_one_clear_line(lt_server):
    host_port = lt_server.url.rsplit(":", 1)[1]
    result = run_cli("languagetool", "start", "--port", host_port)
    assert result.returncode == 2
    assert "already in use" in result.stderr and "Traceback" not in result.stderr


def test_free_port_is_free():
    port = free_port()
    assert 0 < port < 65536


def test_our_server_runs_with_its_settings_file_and_jvm_options(lt_server):
    """The settings reach the JVM (on its command line) and LanguageTool takes every key of them."""
    cmdline = open(f"/proc/{lt_server.pid}/cmdline", "rb").read().split(b"\0")
    args = [a.decode() for a in cmdline if a]
    properties_file = args[args.index("--config") + 1]
    written = dict(line.split("=", 1) for line in open(properties_file, encoding="utf-8").read().splitlines()
                   if line and not line.startswith("#"))
    assert written == server_properties(lt_server.threads)
    assert written["pipelineCaching"] == "true" and written["maxCheckThreads"] == str(lt_server.threads)
    assert "-Xmx768m" in args and "-XX:+ExitOnOutOfMemoryError" in args
    assert "unknown option" not in lt_server.output_tail(200).lower()


def test_check_threads_follow_the_cores_with_at_least_two():
    assert check_threads() == max(2, len(os.sched_getaffinity(0)))
