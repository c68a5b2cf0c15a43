"""`GET /metrics`: Prometheus text format that the official parser reads, with counters that move with the checks
made, in one process and added up over `serve --workers N`; the watcher's backlog, lag and skipped mail."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from api_support import MANAGER, RU_DRAFT, open_env
from support.mailservers import free_port, wait_for_port


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """Every sample as (name, sorted labels) -> value, read by prometheus_client's own parser."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    env, client = open_env(tmp_path)
    with client:
        yield env
    env.store.close()


def test_metrics_parse_and_move_with_the_checks(env):
    r = env.client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    before = samples(r.text)
    for n in range(3):
        checked = env.client.post("/v1/check", json={**RU_DRAFT, "message_id": f"<metrics-{n}@x.ru>"},
                                  headers=env.auth(env.manager))
        assert checked.status_code == 200
    rules = [f["name"] for f in checked.json()["findings"]]
    after = samples(env.client.get("/metrics").text)
    assert value(after, "mail_lint_checks_total", source="api") - value(before, "mail_lint_checks_total",
                                                                        source="api") == 3
    assert value(after, "mail_lint_check_seconds_count", source="api") - \
        value(before, "mail_lint_check_seconds_count", source="api") == 3
    assert value(after, "mail_lint_check_seconds_sum", source="api") > value(before, "mail_lint_check_seconds_sum",
                                                                             source="api")
    assert rules  # RU_DRAFT has findings: each counted once per check
    for rule in set(rules):
        moved = value(after, "mail_lint_findings_total", rule=rule) - value(before, "mail_lint_findings_total",
                                                                            rule=rule)
        assert moved == 3 * rules.count(rule), rule
    families = {family.name for family in text_string_to_metric_families(env.client.get("/metrics").text)}
    assert {"mail_lint_checks", "mail_lint_check_seconds", "mail_lint_findings", "mail_lint_grammar_available",
            "mail_lint_store_errors", "mail_lint_watcher_backlog", "mail_lint_watcher_lag_seconds"} <= families


def test_store_errors_are_counted(env, tmp_path):
    from mail_lint.store import Store, StoreError
    before = samples(env.client.get("/metrics").text)
    broken = Store.open(f"sqlite:///{tmp_path / 'broken.db'}")
    broken.engine.dispose()
    (tmp_path / "broken.db").write_bytes(b"no longer a database" * 500)
    with pytest.raises(StoreError):
        broken.record_skipped("<x@y>", "imap", "test")
    broken.close()
    after = samples(env.client.get("/metrics").text)
    moved = sum(value(after, "mail_lint_store_errors_total", kind=k) - value(before, "mail_lint_store_errors_total",
                                                                             kind=k) for k in ("unavailable", "refused"))
    assert moved == 1


def test_workers_metrics_are_added_up(tmp_path, cli):
    config = tmp_path / "mail-lint.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "m.db"}"\n[rules]\ndisable = ["grammar"]\n')
    token = cli("token", "create", "--role", "manager", "--email", MANAGER, "--config", str(config),
                env={"DATABASE_URL": ""}).stdout.splitlines()[-1]
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(DATABASE_URL="", MAIL_LINT_CONFIG="")
    server = subprocess.Popen([sys.executable, "-m", "mail_lint", "serve", "--port", str(port), "--workers", "2",
                               "--config", str(config)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"

    def scrape() -> dict:
        with urllib.request.urlopen(f"{base}/metrics", timeout=10) as response:
            return samples(response.read().decode())

    try:
        wait_for_port(port, timeout=60)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                scrape()
                break
            except OSError:
                time.sleep(0.2)
        for n in range(10):  # a new connection each: the kernel spreads them over both workers
            request = urllib.request.Request(
                f"{base}/v1/check", method="POST", headers={"Authorization": f"Bearer {token}",
                                                            "Content-Type": "application/json"},
                data=json.dumps({**RU_DRAFT, "message_id": f"<w-{n}@x.ru>"}).encode())
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 200
        totals = {value(scrape(), "mail_lint_checks_total", source="api") for _ in range(10)}
        assert totals == {10.0}  # whichever worker answers, it counts both workers' checks
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=60)
    assert "Traceback" not in errors, errors[-2000:]


@pytest.fixture(scope="module")
def dovecot():
    from support.mailservers import Dovecot
    from test_watcher import PASSWORD
    if not Dovecot.available():
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    server = Dovecot({"head": PASSWORD}).start()
    yield server
    server.remove()


def test_the_watchers_backlog_lag_and_skipped_mail(dovecot, tmp_path, monkeypatch):
    from imapclient import IMAPClient
    from prometheus_client import REGISTRY

    from mail_lint.imap_watcher.watcher import Watcher
    from mail_lint.store import Store
    from test_watcher import PASSWORD, email_bytes, make_config

    monkeypatch.setenv("TEST_IMAP_PASSWORD", PASSWORD)
    folder = f"M{time.monotonic_ns()}"
    with IMAPClient("127.0.0.1", port=dovecot.port, ssl=False) as imap:
        imap.login("head", PASSWORD)
        imap.create_folder(folder)
        for n in range(5):  # two short ones: skipped
            imap.append(folder, email_bytes(1000 + n, lines=1 if n < 2 else 8))

    def metric(name: str, **labels) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    before = {"checks": metric("mail_lint_checks_total", source="imap"),
              "skipped": metric("mail_lint_watcher_skipped_total", reason="not selected")}
    config = make_config(dovecot, folder, batch=2)
    with Store.open(f"sqlite:///{tmp_path / 'w.db'}") as store:
        watcher = Watcher(config, store)
        seen = []
        original = watcher.process

        def process(raw: bytes) -> str:  # the backlog gauge as each message is taken up
            seen.append(metric("mail_lint_watcher_backlog", folder=folder))
            return original(raw)

        watcher.process = process
        assert watcher.run_once() == 5
    assert seen == [5, 4, 3, 2, 1]
    assert metric("mail_lint_watcher_backlog", folder=folder) == 0
    assert metric("mail_lint_watcher_lag_seconds", folder=folder) == 0  # caught up
    assert metric("mail_lint_checks_total", source="imap") - before["checks"] == 3
    assert metric("mail_lint_watcher_skipped_total", reason="not selected") - before["skipped"] == 2


def test_the_watchers_metrics_port_shows_the_backlog_fall_and_the_lag_grow_while_it_is_stuck(dovecot, postgres_url,
                                                                                            tmp_path):
    """`watch --metrics-port`, scraped over HTTP: N messages wait while the store is locked (backlog N, the lag
    growing with each scrape); once it is free the backlog falls to 0, the checked counter rises by N."""
    from imapclient import IMAPClient
    from sqlalchemy import create_engine, text

    from mail_lint.store import Store
    from test_watcher import PASSWORD, email_bytes, imap_section

    folder, count = f"P{time.monotonic_ns()}", 6
    with IMAPClient("127.0.0.1", port=dovecot.port, ssl=False) as imap:
        imap.login("head", PASSWORD)
        imap.create_folder(folder)
        for n in range(count):
            imap.append(folder, email_bytes(2000 + n))
    config = tmp_path / "mail-lint.toml"
    config.write_text(f"""
{imap_section(dovecot.port, folder)}[watch]
idle_seconds = 5
[digest]
schedule = false
[rules]
disable = ["grammar"]
""", encoding="utf-8")
    Store.open(postgres_url).close()  # migrated, so that the watcher's first wait is on the lock below
    locker = create_engine(postgres_url).connect()
    held = locker.begin()
    locker.execute(text("LOCK TABLE messages IN ACCESS EXCLUSIVE MODE"))  # every lookup of a message waits
    port = free_port()
    env = {**os.environ, "TEST_IMAP_PASSWORD": PASSWORD, "DATABASE_URL": postgres_url, "MAIL_LINT_CONFIG": ""}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    watcher = subprocess.Popen([sys.executable, "-m", "mail_lint", "watch", "--metrics-port", str(port),
                                "--config", str(config)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)

    def scrape() -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            return samples(response.read().decode())

    def wait_for(**wanted: float) -> dict:
        """The first scrape where each named metric of the folder has the wanted value."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert watcher.poll() is None, watcher.stderr.read()[-2000:]
            try:
                found = scrape()
                if all(value(found, name, folder=folder) == v for name, v in wanted.items()):
                    return found
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"never {wanted}")

    try:
        stuck = wait_for(mail_lint_watcher_backlog=count)
        assert value(stuck, "mail_lint_checks_total", source="imap") == 0
        time.sleep(1.5)
        later = scrape()
        assert value(later, "mail_lint_watcher_backlog", folder=folder) == count
        assert value(later, "mail_lint_watcher_lag_seconds", folder=folder) >= \
            value(stuck, "mail_lint_watcher_lag_seconds", folder=folder) + 1.0  # still waiting, and it shows
        held.rollback()
        done = wait_for(mail_lint_watcher_backlog=0, mail_lint_watcher_lag_seconds=0)  # caught up
        assert value(done, "mail_lint_checks_total", source="imap") == count
    finally:
        locker.close()
        watcher.terminate()
        _, errors = watcher.communicate(timeout=60)
    assert watcher.returncode == 0, errors[-2000:]
    assert "Traceback" not in errors, errors[-2000:]
