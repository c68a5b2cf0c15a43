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
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..logs import setup_logging
from ..processes import die_with_parent
from ..mime import MAX_TEXT_CHARS
from .install import Installation, InstallError, default_home, find_installed, require_java

log = logging.getLogger(__name__)

# JVM options, sized to what LanguageTool needs for ru+en with the settings below (measured by
# bench/grammar.py: about 0.5 GB of heap in use after a run with pooled pipelines and a full cache).
# -Xms256m: starts with the heap it needs anyway after warm-up, so start-up does not grow it in steps.
# -Xmx768m: room for the pooled pipelines (each holds its own rule objects), the sentence cache and
#   in-flight checks, with the heap, metaspace, code cache and thread stacks together under the
#   1.2 GB resident goal; more heap would only let garbage pile up longer.
# G1 with string deduplication: the dictionaries and rule patterns hold many equal strings.
# -XX:+ExitOnOutOfMemoryError: out of memory is fatal (not a half-working server), so that the
#   supervisor (ManagedServer.watch, or systemd) restarts it.
DEFAULT_JVM_OPTIONS = ("-Xms256m", "-Xmx768m", "-XX:+UseG1GC", "-XX:+UseStringDeduplication",
                       "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8")
# LanguageTool's defaults, for the benchmark's baseline (what the server was started with before issue 17).
BASELINE_JVM_OPTIONS = ("-Xms128m", "-Xmx1g", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
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


def jvm_options(tuned: bool = True) -> list[str]:
    extra = os.environ.get(JVM_OPTIONS_ENV, "").split()
    base = DEFAULT_JVM_OPTIONS if tuned else BASELINE_JVM_OPTIONS
    return [*base, *extra]  # later options win in the JVM, so the env overrides


def check_threads() -> int:
    """Checks are CPU-bound: one thread per core this process may run on (at least 2, so that one long
    check does not hold up a short one). More threads would only contend for the cores, and each busy
    thread holds a pipeline of its own in memory."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 2
    return max(2, cores)


def server_properties(threads: int | None = None) -> dict[str, str]:
    """The settings file given to LanguageTool with `--config` (see `HTTPServer --help`); each one says why.

    Without it LanguageTool builds a new rule pipeline (every rule of the language, from XML) for each
    request and caches nothing: most of a check's time was that setup (issue 17: 362 ms median per email
    with defaults, 68 ms with these settings).
    """
    threads = threads or check_threads()
    return {
        # Keep built pipelines (JLanguageTool instances with their rules) and reuse them between requests.
        "pipelineCaching": "true",
        # How many distinct pipeline settings (language x rule selection) are kept; each keeps one pipeline
        # per thread that used it at once. We use 2 languages x a few rule selections ([grammar]
        # disabled_rules per config); 20 leaves room without letting rare selections pile up.
        "maxPipelinePoolSize": "20",
        # A pipeline unused for an hour is dropped (its memory back); the default 10 s rebuilt them between
        # emails arriving a minute apart. (pipelinePrewarming needs German on the classpath: not used.)
        "pipelineExpireTimeInSeconds": "3600",
        # LanguageTool's own result cache, in sentences: a re-checked paragraph whose other sentences did not
        # change costs only the changed sentence. ~5000 sentences is a working day of a sales team's drafts
        # and some tens of MB of heap.
        "cacheSize": "5000",
        "cacheTTLSeconds": "3600",
        # Threads checking at once: one per core (check_threads). Also what the pool tells the watcher it can
        # take from this server.
        "maxCheckThreads": str(threads),
        # Requests beyond this many waiting would wait longer than a check's timeout (5 s by default, at
        # ~50-100 ms a paragraph per thread); refusing them at once lets the client try another server or
        # say "unavailable" now, instead of piling up work nobody waits for.
        "maxWorkQueueSize": str(50 * threads),
        # A check still running after 2 minutes has been given up by every client (timeouts are seconds):
        # stop it rather than let it hold a thread. Not less: the first check of a language after start
        # loads its rules and dictionaries, and took over 30 s on a loaded 2-core machine.
        "maxCheckTimeMillis": "120000",
        # Our longest text: a message is cut at MAX_TEXT_CHARS characters; Java counts UTF-16 units, up to two
        # per character. Anything longer is not ours: refused without being checked.
        "maxTextLength": str(2 * MAX_TEXT_CHARS),
        # Per-client request limits stay off (0, LanguageTool's default): every request comes from our own
        # service's address, so a per-address limit would throttle the service itself. The work queue, the
        # check time and the text length above bound the load instead.
        "requestLimit": "0",
        "requestLimitInBytes": "0",
        "requestLimitPeriodInSeconds": "0",
    }


def rule_parameters(disabled_rules, enabled_rules) -> dict[str, str]:
    """The /v2/check parameters of a rule selection (the client sends the same)."""
    out = {}
    if disabled_rules:
        out["disabledRules"] = ",".join(disabled_rules)
    if enabled_rules:
        out["enabledRules"] = ",".join(enabled_rules)
    return out


def write_properties(properties: dict[str, str], path: Path) -> Path:
    lines = ["# Written by mail-lint (mail_lint/languagetool/server.py: server_properties) for one server."]
    lines += [f"{key}={value}" for key, value in properties.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# The kernel's parent-death signal follows the *thread* that forked the child, so every JVM is forked
# from this one thread, which lives as long as the process (a request thread that restarts a dead
# server may be retired by its pool a few seconds later).
_LAUNCHER = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="lt-launcher")


class ManagedServer:
    def __init__(self, installation: Installation, *, port: int | None = None, host: str = "127.0.0.1",
                 java: str = "java", startup_timeout: float = 120.0, warm_up: bool = True,
                 tuned: bool = True, threads: int | None = None, warm_up_rules: dict[str, str] | None = None) -> None:
        """tuned: start with our settings file and JVM options (False: LanguageTool's defaults, for the
        benchmark's baseline). threads: checks at once (default: one per core). warm_up_rules: the
        `disabledRules`/`enabledRules` parameters the checks will send (see `rule_parameters`)."""
        self.warm_up_rules = dict(warm_up_rules or {})
        self.installation = installation
        self.tuned = tuned
        self.threads = threads or check_threads()
        self._properties: Path | None = None
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
        cmd = [self.java, *jvm_options(self.tuned), "-cp", self.installation.classpath, MAIN_CLASS,
               "--port", str(self.port)]
        if self.tuned:
            if self._properties is None:
                fd, name = tempfile.mkstemp(prefix="mail-lint-languagetool-", suffix=".properties")
                os.close(fd)
                self._properties = write_properties(server_properties(self.threads), Path(name))
            cmd += ["--config", str(self._properties)]
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
        """Checks in each language, in parallel: loads their rules and dictionaries. A tuned server keeps the
        pipelines it builds, one per thread checking at once and per rule selection, so it gets one check per
        thread with the rule selection our checks will send (`warm_up_rules`), so that no user waits for one
        being built."""
        per_language = self.threads if self.tuned else 1
        work = [item for item in WARMUP_TEXTS.items() for _ in range(per_language)]

        def one(item: tuple[str, str]) -> None:
            language, text = item
            try:
                post_check(self.url, text, language, timeout=self.startup_timeout, **self.warm_up_rules)
            except OSError as e:
                raise ServerError(f"LanguageTool failed its warm-up check in {language}: {e}\n"
                                  + self.output_tail()) from None
        with ThreadPoolExecutor(len(work)) as pool:
            list(pool.map(one, work))

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
            if self._properties is not None:
                self._properties.unlink(missing_ok=True)
                self._properties = None
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
