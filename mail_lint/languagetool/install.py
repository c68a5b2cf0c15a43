"""Assemble a LanguageTool server (Russian + English) from Maven Central into a local cache.

LanguageTool's own zip download is often unreachable from company networks, Maven Central rarely is.
We write a throw-away pom that depends on `languagetool-server` (without `language-all`, which would
drag in every language: ~1 GB) plus `language-ru` and `language-en`, and let Maven copy the jars into
`<home>/<version>/lib/`. Maven keeps its own cache in ~/.m2, so a reinstall after `rm -rf` of our
cache does not download again; a repeated `install` with our cache in place is a no-op.

Layout: `$MAIL_LINT_LT_HOME` (default `~/.cache/mail-lint/languagetool`)/`<version>/lib/*.jar`, and
`lib/.complete` written last, so a half-finished install is never taken for a good one.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

HOME_ENV = "MAIL_LINT_LT_HOME"
VERSION_ENV = "MAIL_LINT_LT_VERSION"
# Newest first; the first one Maven resolves wins. (6.2 was never published to Central.)
CANDIDATE_VERSIONS = ("6.8", "6.7", "6.6", "6.5", "6.4", "6.3", "6.1", "6.0")
LANGUAGES = ("ru", "en")
# The server's language identifier (CommonWordsDetector, every 6.x) looks up es, ca and pt in a static
# initialiser and dies at startup without them. Their module jars alone (~5 MB, no dictionaries) are
# enough: the Language classes load, their heavy resources never do because we never check in them.
SHELL_LANGUAGES = ("es", "ca", "pt")
MIN_JAVA = 17
MARKER = ".complete"


class InstallError(Exception):
    """Installation is impossible; str() says what is missing and how to get it."""


@dataclass(frozen=True)
class Installation:
    version: str
    lib: Path

    @property
    def classpath(self) -> str:
        return str(self.lib / "*")


def default_home() -> Path:
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "mail-lint" / "languagetool"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version))


def find_installed(home: Path | None = None, version: str | None = None) -> Installation | None:
    """The newest complete install in the cache (or the given version), None if there is none."""
    home = home or default_home()
    if not home.is_dir():
        return None
    done = [d for d in home.iterdir() if (d / "lib" / MARKER).is_file() and (not version or d.name == version)]
    if not done:
        return None
    best = max(done, key=lambda d: _version_key(d.name))
    return Installation(best.name, best / "lib")


def java_version(java: str = "java") -> int | None:
    """The major version of `java`, None when there is no java on PATH."""
    if not shutil.which(java):
        return None
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major  # "1.8.0_x" is Java 8


def require_java(java: str = "java") -> int:
    found = java_version(java)
    if found is None:
        raise InstallError(f"Java {MIN_JAVA}+ is needed to run LanguageTool, and `{java}` was not found "
                           f"(Debian/Ubuntu: apt-get install openjdk-17-jre-headless)")
    if found < MIN_JAVA:
        raise InstallError(f"Java {MIN_JAVA}+ is needed to run LanguageTool; `{java}` is Java {found} "
                           f"(Debian/Ubuntu: apt-get install openjdk-17-jre-headless)")
    return found


def require_maven(maven: str = "mvn") -> str:
    path = shutil.which(maven)
    if not path:
        raise InstallError(f"Maven is needed to fetch LanguageTool from Maven Central, and `{maven}` was not "
                           f"found (Debian/Ubuntu: apt-get install maven)")
    return path


def _dependency(artifact: str, version: str, exclusions: tuple[str, ...]) -> str:
    excl = "".join(f"<exclusion><groupId>{g}</groupId><artifactId>{a}</artifactId></exclusion>"
                   for g, a in (e.split(":") for e in exclusions))
    return (f"<dependency><groupId>org.languagetool</groupId><artifactId>{artifact}</artifactId>"
            f"<version>{version}</version><exclusions>{excl}</exclusions></dependency>")


def assembly_pom(version: str) -> str:
    deps = [_dependency("languagetool-server", version, ("org.languagetool:language-all",))]
    deps += [_dependency(f"language-{lang}", version, ()) for lang in LANGUAGES]
    deps += [_dependency(f"language-{lang}", version, ("*:*",)) for lang in SHELL_LANGUAGES]
    return ('<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
            '<groupId>local.mail-lint</groupId><artifactId>languagetool-assembly</artifactId>'
            f'<version>{version}</version><packaging>pom</packaging>'
            f'<dependencies>{"".join(deps)}</dependencies></project>\n')


_TRANSPORT_ERROR = re.compile(r"Could not transfer|Connection refused|UnknownHost|unknown host|timed out|"
                              r"PKIX|Network is unreachable|status code: (401|403|5\d\d)", re.I)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_BOILERPLATE = ("To see the full stack trace", "Re-run Maven", "For more information", "[Help 1] http")


def _maven_errors(output: str) -> str:
    lines = [ln.split("[ERROR]", 1)[1].strip() for ln in _ANSI.sub("", output).splitlines() if "[ERROR]" in ln]
    useful = [ln for ln in lines if ln and not ln.startswith(_BOILERPLATE)]
    return "\n".join(useful[:3]) or _ANSI.sub("", output).strip()[-1500:]


def _fetch(version: str, maven: str, dest: Path) -> tuple[bool, str]:
    """Run Maven for one version; jars land in `dest`. Returns (ok, Maven's error lines)."""
    with tempfile.TemporaryDirectory(prefix="mail-lint-lt-") as work:
        (Path(work) / "pom.xml").write_text(assembly_pom(version), encoding="utf-8")
        cmd = [maven, "-B", "-q", "-Dstyle.color=never", "-f", str(Path(work) / "pom.xml"),
               "dependency:copy-dependencies", f"-DoutputDirectory={dest}", "-DincludeScope=runtime"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.returncode == 0, _maven_errors(proc.stdout + proc.stderr)


def install(version: str | None = None, home: Path | None = None, *, force: bool = False,
            java: str = "java", maven: str = "mvn", log: Callable[[str], None] = lambda s: None) -> Path:
    """Make sure a LanguageTool server is in the cache; returns its lib/ folder (put `lib/*` on -cp).

    version: a 6.x to use; default $MAIL_LINT_LT_VERSION, else the newest that Maven resolves.
    Raises InstallError with a one-line reason (no Java 17, no Maven, Maven Central refused).
    """
    home = home or default_home()
    version = version or os.environ.get(VERSION_ENV) or None
    require_java(java)
    if not force and (found := find_installed(home, version)):
        log(f"LanguageTool {found.version} is already installed in {found.lib}")
        return found.lib
    require_maven(maven)
    failures = []
    for candidate in (version,) if version else CANDIDATE_VERSIONS:
        target = home / candidate / "lib"
        staging = home / candidate / f"lib.partial-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        log(f"resolving org.languagetool:languagetool-server:{candidate} from Maven Central...")
        started = time.monotonic()
        ok, errors = _fetch(candidate, maven, staging)
        if not ok:
            shutil.rmtree(staging, ignore_errors=True)
            with contextlib.suppress(OSError):
                staging.parent.rmdir()  # leave no empty <version>/ behind
            failures.append(f"{candidate}: {errors}")
            if _TRANSPORT_ERROR.search(errors):
                break  # the repository itself is unreachable: older versions will fail the same way
            continue
        jars = sorted(p.name for p in staging.glob("*.jar"))
        (staging / MARKER).write_text(json.dumps({"version": candidate, "jars": len(jars),
                                                  "seconds": round(time.monotonic() - started, 1)}) + "\n")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
        log(f"LanguageTool {candidate} installed: {len(jars)} jars in {target}")
        return target
    raise InstallError("Maven could not resolve LanguageTool:\n" + "\n".join(failures))


def main(argv: list[str] | None = None) -> int:
    """`mail-lint languagetool install [--version V] [--force]`: progress on stderr, the lib path on
    stdout; exit 2 with a one-line reason when it cannot be done."""
    import argparse
    parser = argparse.ArgumentParser(prog="mail-lint languagetool install", description=__doc__.split("\n")[0])
    parser.add_argument("--version", dest="lt_version", help="a LanguageTool 6.x (default: the newest that resolves)")
    parser.add_argument("--force", action="store_true", help="fetch again even if the cache has it")
    args = parser.parse_args(argv)
    return run_install(args.lt_version, args.force)


def run_install(version: str | None = None, force: bool = False) -> int:
    try:
        lib = install(version, force=force, log=lambda s: print(s, file=sys.stderr))
    except InstallError as e:
        print(f"mail-lint: {e}", file=sys.stderr)
        return 2
    print(lib)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
