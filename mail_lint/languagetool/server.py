"""Run LanguageTool's HTTP server on loopback: start, health check, warm-up, restart when it dies, stop.

One `ManagedServer` owns one `java` process. A JVM start takes seconds, so no check waits for one: the
client asks `ready()` (cheap: a flag and a `poll()`) before every check, and when the server is dead it
calls `restart_in_background()` and reports grammar unavailable at once. `watch()` adds a thread that
restarts a dead server every few seconds for long-running processes (`serve`, `watch`), so a crash is
repaired before the next email arrives rather than while it waits.
"""
from __future__ import annotations

import atexit
import collections
import concurrent.futures
import functools
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..logs import setup_logging
from ..processes import die_with_parent
from .install import Installation, InstallError, default_home, find_installed, require_java

log = logging.getLogger(__name__)

# Measured with ru+en after warm-up: ~0.55 GB resident with a 512 MB heap, and LanguageTool's rule
# pipelines for two languages fit well within 1 GB of heap under load; with metaspace, code cache and
# thread stacks on top the process stays under the 1.5 GB goal. Out of memory is fatal (not a
# half-working server) so that the supervisor restarts it.
DEFAULT_JVM_OPTIONS = ("-Xms128m", "-Xmx1g", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
                       "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8")
JVM_OPTIONS_ENV = "MAIL_LINT_LT_JAVA_OPTS"
MAIN_CLASS = "org.languagetool.server.HTTPServer"
REQUIRED_LANGUAGES = ("ru-RU", "en-US")
# A first check per language loads its rules, dictionaries and taggers (seconds); do it before a user waits.
WARMUP_TEXTS = {"ru-RU": "Добрый день! Мы ответим в течении месяца, не смотря на сроки.",
                "en-US": "Hi Tom, their is a problem with the invoice we recieved."}
STATE_FILE = "server.json"


class ServerError(Exception):
    """The server could not be started; str() says why (with the end of its output)."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
            return True
        except OSError:
            return False


def is_healthy(url: str, timeout: float = 2.0) -> bool:
    """The server answers /v2/languages and knows Russian and English."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/v2/languages", timeout=timeout) as r:
            codes = {lang.get("longCode") for lang in json.load(r)}
    except (OSError, ValueError):
        return False
    return all(code in codes for code in REQUIRED_LANGUAGES)


def post_check(url: str, text: str, language: str, timeout: float = 60.0, **params: str) -> dict:
    """LanguageTool's own /v2/check, without our client: for warm-up and for the benchmark baseline."""
    data = urllib.parse.urlencode({"text": text, "language": language, **params}).encode()
    with urllib.request.urlopen(url.rstrip("/") + "/v2/check", data=data, timeout=timeout) as r:
        return json.load(r)


def jvm_options() -> list[str]:
    extra = os.environ.get(JVM_OPTIONS_ENV, "").split()
    return [*DEFAULT_JVM_OPTIONS, *extra]  # later options win in the JVM, so the env overrides


# The kernel's parent-death signal follows the *thread* that forked the child, so every JVM is forked
# from this one thread, which lives as long as the process (a request thread that restarts a dead
# server may be retired by its pool a few seconds later).
_LAUNCHER = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="lt-launcher")


class ManagedServer:
    def __init__(self, installation: Installation, *, port: int | None = None, host: str = "127.0.0.1",
                 java: str = "java", startup_timeout: float = 120.0, warm_up: bool = True) -> None:
        self.installation = installation
        self.host = host
        self.port = port
        self._fixed_port = port is not None
        self.java = java
        self.startup_timeout = startup_timeout
        self.warm_up = warm_up
        self.restarts = 0
        self.ready_seconds: float | None = None   # start to first answered check, last start
        self._process: subprocess.Popen | None = None
        self._output: collections.deque[str] = collections.deque(maxlen=40)
        self._lock = threading.RLock()
        self._watchdog: threading.Thread | None = None
        self._stopping = threading.Event()
        self._ready = threading.Event()       # started, healthy and warm; cleared when it is spawned or killed
        self._restarting = threading.Lock()   # held by the one background restart under way

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def ready(self) -> bool:
        """Up and warmed up: a check now gets an answer, not a refused connection or a cold start."""
        return self._ready.is_set() and self.alive()

    def start(self) -> "ManagedServer":
        with self._lock:
            self._stopping.clear()
            if self.alive():
                return self
            if not self._fixed_port and (self.port is None or not _port_free(self.host, self.port)):
                self.port = free_port(self.host)
            started = time.monotonic()
            self._spawn()
            self._wait_until_healthy(started)
            if self.warm_up:
                self._warm_up()
            self.ready_seconds = time.monotonic() - started
            self._ready.set()
            return self

    def _spawn(self) -> None:
        # --port and loopback only: HTTPServer without --public listens on localhost alone.
        cmd = [self.java, *jvm_options(), "-cp", self.installation.classpath, MAIN_CLASS, "--port", str(self.port)]
        self._output.clear()
        self._ready.clear()
        try:
            self._process = _LAUNCHER.submit(
                subprocess.Popen, cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True, errors="replace",
                start_new_session=True,  # Ctrl-C in a terminal goes to us, we stop it
                # In the child before exec: the kernel stops the JVM when we die, even by SIGKILL, so a killed
                # service or watcher never leaves a gigabyte of LanguageTool behind.
                preexec_fn=functools.partial(die_with_parent, signal.SIGTERM, os.getpid())).result()
        except OSError as e:
            raise ServerError(f"cannot run {self.java}: {e.strerror or e}") from None
        # Keep only the end of its output (for error messages); reading it also keeps the pipe from filling.
        threading.Thread(target=self._drain, args=(self._process,), daemon=True, name="lt-output").start()
        _RUNNING.add(self)

    def _drain(self, process: subprocess.Popen) -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            self._output.append(line.rstrip())

    def _wait_until_healthy(self, started: float) -> None:
        while time.monotonic() - started < self.startup_timeout:
            if not self.alive():
                raise ServerError(f"LanguageTool exited during startup (code {self._process.returncode}):\n"
                                  + self.output_tail())
            if is_healthy(self.url, timeout=1.0):
                return
            time.sleep(0.2)
        self._kill()
        raise ServerError(f"LanguageTool did not answer on {self.url} within {self.startup_timeout:.0f} s:\n"
                          + self.output_tail())

    def _warm_up(self) -> None:
        """One check per language, in parallel (the server has a thread pool): loads their rules."""
        def one(item: tuple[str, str]) -> None:
            language, text = item
            try:
                post_check(self.url, text, language, timeout=self.startup_timeout)
            except OSError as e:
                raise ServerError(f"LanguageTool failed its warm-up check in {language}: {e}\n"
                                  + self.output_tail()) from None
        with ThreadPoolExecutor(len(WARMUP_TEXTS)) as pool:
            list(pool.map(one, WARMUP_TEXTS.items()))

    def output_tail(self, lines: int = 12) -> str:
        return "\n".join(list(self._output)[-lines:])

    def ensure_running(self) -> bool:
        """Restart the server if its process has died; True when it did. Cheap when it is up."""
        if self.alive() or self._stopping.is_set():
            return False
        with self._lock:
            if self.alive():
                return False
            self._kill()  # reap the dead process and close its pipe
            self.start()
            self.restarts += 1
            return True

    def restart_in_background(self, backoff: float = 5.0) -> None:
        """Restart a dead server from a thread of its own; meanwhile checks are `unavailable`. Does nothing
        while it is alive, stopping, or already being restarted. After a failed start the next attempt waits
        `backoff` seconds, so a server that cannot start is not retried on every check."""
        if self.alive() or self._stopping.is_set() or not self._restarting.acquire(blocking=False):
            return

        def restart() -> None:
            try:
                self.ensure_running()
            except ServerError as e:
                log.warning("LanguageTool restart failed: %s", e)
                self._stopping.wait(backoff)
            finally:
                self._restarting.release()
        threading.Thread(target=restart, daemon=True, name="lt-restart").start()

    def watch(self, interval: float = 5.0) -> None:
        """A daemon thread that restarts the server when it dies."""
        if self._watchdog and self._watchdog.is_alive():
            return

        def loop() -> None:
            while not self._stopping.wait(interval):
                try:
                    self.ensure_running()
                except ServerError as e:
                    log.warning("LanguageTool restart failed: %s", e)
        self._watchdog = threading.Thread(target=loop, daemon=True, name="lt-watchdog")
        self._watchdog.start()

    def _kill(self, grace: float = 10.0) -> None:
        self._ready.clear()
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout:
            process.stdout.close()

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            self._kill()
        _RUNNING.discard(self)

    def __enter__(self) -> "ManagedServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


_RUNNING: set[ManagedServer] = set()


@atexit.register
def _stop_all() -> None:
    """No java process outlives the Python process that started it (on a normal exit)."""
    for server in list(_RUNNING):
        server.stop()


# A server started by `mail-lint languagetool start` announces itself here, so that `check`, `serve`
# and `watch` in other processes reuse it instead of starting a JVM each.
def state_path(home: Path | None = None) -> Path:
    return (home or default_home()) / STATE_FILE


def announced_url(home: Path | None = None) -> str | None:
    """The URL of a healthy server announced in the cache folder, None if there is none."""
    try:
        state = json.loads(state_path(home).read_text(encoding="utf-8"))
        os.kill(int(state["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state["url"] if is_healthy(state["url"]) else None


def main(port: int | None = None, host: str = "127.0.0.1") -> int:
    """`mail-lint languagetool start [--port P]`: run in the foreground until Ctrl-C / SIGTERM.
    Prints the URL when the server has answered its first check."""
    try:
        require_java()
    except InstallError as e:
        print(f"mail-lint: {e}", file=sys.stderr)
        return 2
    installation = find_installed()
    if installation is None:
        print("mail-lint: LanguageTool is not installed; run `mail-lint languagetool install` first", file=sys.stderr)
        return 2
    if port is not None and not _port_free(host, port):
        print(f"mail-lint: port {port} on {host} is already in use", file=sys.stderr)
        return 2
    server = ManagedServer(installation, port=port, host=host)
    try:
        server.start()
    except ServerError as e:
        print(f"mail-lint: {e}", file=sys.stderr)
        return 2
    state = state_path()
    state.write_text(json.dumps({"url": server.url, "pid": server.pid, "version": installation.version}) + "\n")
    print(server.url, flush=True)
    setup_logging()
    log.info("LanguageTool %s ready in %.1f s (pid %s); Ctrl-C stops it", installation.version,
             server.ready_seconds, server.pid)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server.watch()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        state.unlink(missing_ok=True)
    return 0
