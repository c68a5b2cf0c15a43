"""A pool of real LanguageTool servers: spread, a dead one skipped, taken back once healthy (see conftest_lt.py)."""
from __future__ import annotations

import itertools
import os
import signal
import time

import pytest

from mail_lint.config import validate
from mail_lint.languagetool import ManagedServer, connect
from mail_lint.languagetool.cache import CACHE_ENV
from mail_lint.languagetool.server import announced_url, check_threads

pytest_plugins = ("conftest_lt",)

_numbers = itertools.count()


def fresh_text(paragraphs: int = 1) -> str:
    """Paragraphs no client has seen (each must go to a server), each with one known mistake."""
    return "\n\n".join(f"Their is a problem with invoice {next(_numbers)}." for _ in range(paragraphs))


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {timeout:.0f} s"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def two_local_servers(lt_installation):
    """`[grammar] servers = 2`, through connect() as the service does it."""
    if announced_url():
        pytest.skip("a `mail-lint languagetool start` server is announced here: connect() would use it")
    saved = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = "off"  # the machine's shared cache would answer without the servers
    client = connect(validate({"grammar": {"servers": 2, "timeout": 60.0}}))
    try:
        assert client is not None and len(client.backends) == 2
        yield client
    finally:
        if client is not None:
            client.close()
        if saved is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = saved


def test_servers_n_starts_n_local_servers_sharing_the_cores(two_local_servers):
    servers = [b.server for b in two_local_servers.backends]
    assert all(s is not None and s.ready() for s in servers) and servers[0].pid != servers[1].pid
    assert [s.threads for s in servers] == [max(1, check_threads() // 2)] * 2
    assert two_local_servers.capacity() == sum(s.threads for s in servers)


def test_requests_spread_and_a_dead_local_server_is_skipped_then_restarted(two_local_servers):
    client = two_local_servers
    first, second = client.backends
    matches = client.check(fresh_text(8), "en-US")  # 8 paragraphs sent at once
    assert [m.rule_id for m in matches] == ["THEIR_IS"] * 8
    assert first.answered > 0 and second.answered > 0, (first.answered, second.answered)

    old_pid = first.server.pid
    os.kill(old_pid, signal.SIGKILL)
    wait_for(lambda: not first.server.alive() or first.server.pid != old_pid, 10, "the killed JVM is gone")
    before = first.answered, second.answered
    for _ in range(4):
        assert [m.rule_id for m in client.check(fresh_text(2), "en-US")] == ["THEIR_IS"] * 2
    assert first.answered == before[0] and second.answered == before[1] + 8
    wait_for(first.server.ready, 240, "the dead server restarted in the background")
    assert first.server.pid != old_pid
    wait_for(lambda: client.check(fresh_text(4), "en-US") and first.answered > before[0], 30,
             "the restarted server takes requests again")


def test_a_pool_of_urls_fails_over_and_takes_a_server_back_after_a_health_check(two_local_servers, lt_installation):
    servers = [b.server for b in two_local_servers.backends]
    wait_for(lambda: all(s.ready() for s in servers), 240, "both servers up")
    urls = [s.url for s in servers]
    client = connect(validate({"grammar": {"url": urls[0], "urls": urls, "timeout": 60.0}}))
    assert [b.url for b in client.backends] == urls and all(b.server is None for b in client.backends)
    first, second = client.backends
    assert client.capacity() == 4  # 2 assumed per server we did not start

    os.kill(servers[0].pid, signal.SIGKILL)  # nobody restarts it for this client: a remote server going down
    wait_for(lambda: not servers[0].alive(), 10, "the killed JVM is gone")
    for _ in range(3):  # a refused connection moves the request to the other server within the same check
        assert [m.rule_id for m in client.check(fresh_text(2), "en-US")] == ["THEIR_IS"] * 2
    assert first.failures >= 1 and client.capacity() == 2 and second.answered >= 6

    port = int(urls[0].rsplit(":", 1)[1])
    with ManagedServer(lt_installation, port=port, threads=1):  # back up at the same address
        before = first.answered
        wait_for(lambda: client.check(fresh_text(2), "en-US") and first.answered > before, 90,
                 "the server back up is health-checked and used again")
        assert first.failures == 0
