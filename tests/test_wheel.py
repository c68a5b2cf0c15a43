"""The package as a server installs it: `pip wheel .`, then that wheel in a new virtualenv, used from a folder
outside the checkout. Site-packages gets one package of ours, `mail_lint`, with the add-in's files in it.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import venv
from pathlib import Path

import pytest

from support.mailservers import free_port, wait_for_port

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "mail_lint" / "examples" / "ru-kp.eml"
ADDIN = REPO / "addin"
# What pip and venv put into any new environment: not ours.
TOOLING = {"pip", "setuptools", "_distutils_hack", "pkg_resources", "__pycache__"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A new virtualenv with the built wheel installed; returns its python."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"  # a copy, so the build leaves nothing behind in the checkout
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "build", "dist", "*.egg-info", "__pycache__", "*.db", "test-artifacts"))
    # `make dist`, with this test run's environment standing in for the checkout's .venv (`-o setup`: as set up).
    subprocess.run(["make", "--no-print-directory", "-o", "setup", "dist", f"BIN={Path(sys.executable).parent}"],
                   cwd=source, check=True, timeout=600, stdout=subprocess.DEVNULL)
    (wheel,) = (source / "dist").glob("mail_lint-*.whl")
    env_dir = root / "env"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    # Our wheel alone goes in; its dependencies are read from the test run's own environment (a path
    # entry, so that environment's editable checkout of mail_lint is not seen).
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    str(wheel)], check=True, timeout=300)
    (_site_packages(python) / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _site_packages(python: Path) -> Path:
    return Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())


def test_site_packages_gets_only_mail_lint_with_the_add_in(installed):
    site = _site_packages(installed)
    ours = {p.name for p in site.iterdir() if not p.name.endswith((".dist-info", ".pth")) and p.name not in TOOLING}
    assert ours == {"mail_lint"}
    # Every file the manifest and the add-in's pages load from the service is in the wheel (a script added to
    # the task pane but not to the package data would be a 404 on every installed server).
    referenced = {"manifest.xml"} | {m for page in ("manifest.xml", *(p.name for p in ADDIN.glob("*.html")))
                                     for m in re.findall(r"\{\{BASE_URL\}\}/addin/([\w./-]+)",
                                                         (ADDIN / page).read_text(encoding="utf-8"))}
    assert {"launchevent.js", "taskpane.html", "taskpane.js", "rewrite.js"} <= referenced
    for served in referenced:
        assert (site / "mail_lint" / "addin" / served).is_file(), served
    assert not (site / "mail_lint" / "addin" / "node_modules").exists()
    where = subprocess.run([str(installed), "-c", "import mail_lint.rules.cta as m; print(m.__file__)"],
                           capture_output=True, text=True, check=True, cwd=site.parent).stdout
    assert where.startswith(str(site)), where


def test_check_and_serve_work_from_another_folder(installed, tmp_path):
    mail_lint = installed.parent / "mail-lint"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MAIL_LINT_CONFIG")}
    checked = subprocess.run([str(mail_lint), "check", "--format", "json", str(EXAMPLE)], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode in (0, 1), checked.stderr
    assert json.loads(checked.stdout)["schema"] == "mail-lint/verdict@1"

    port = free_port()
    config = tmp_path / "mail-lint.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "verdicts.db"}"\n[rules]\ndisable = ["grammar"]\n')
    server = subprocess.Popen([str(mail_lint), "serve", "--port", str(port), "--config", str(config)], cwd=tmp_path,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/addin/manifest.xml", timeout=10) as response:
            manifest = response.read().decode()
        assert response.status == 200 and f"http://127.0.0.1:{port}/addin/taskpane.html" in manifest
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors, errors[-2000:]


def test_a_server_install_keeps_every_file_in_the_data_directory(installed, tmp_path):
    """As the README's "Install on a server" has it: a config in /etc-like place, the data directory from
    $MAIL_LINT_HOME, the commands run from a folder that must stay empty."""
    mail_lint = str(installed.parent / "mail-lint")
    home, work, etc = tmp_path / "home", tmp_path / "work", tmp_path / "etc"
    work.mkdir(), etc.mkdir()
    env = {**{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MAIL_LINT_CONFIG")},
           "MAIL_LINT_HOME": str(home)}
    config = etc / "mail-lint.toml"
    example = subprocess.run([mail_lint, "config", "--example"], cwd=work, env=env, capture_output=True, text=True,
                             check=True, timeout=60).stdout
    config.write_text(example.replace("[rules]\ndisable = []", '[rules]\ndisable = ["grammar"]'), encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([mail_lint, *args, "--config", str(config)], cwd=work, env=env, capture_output=True,
                              text=True, timeout=120)

    checked = run("check", "--save", str(EXAMPLE))
    assert checked.returncode in (0, 1), checked.stderr
    created = run("token", "create", "--role", "head", "--email", "head@example.ru")
    assert created.returncode == 0, created.stderr
    token = created.stdout.splitlines()[-1]

    port = free_port()
    server = subprocess.Popen([mail_lint, "serve", "--port", str(port), "--config", str(config)], cwd=work, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/addin/manifest.xml", timeout=10) as response:
            assert response.status == 200
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/verdicts",
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            listed = json.loads(response.read())
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors, errors[-2000:]
    assert len(listed["items"]) == 1  # the verdict `check --save` stored, read by the service: one store

    tokens = run("token", "list")
    assert tokens.returncode == 0 and "head@example.ru" in tokens.stdout and token not in tokens.stdout
    assert run("token", "revoke", "1").returncode == 0
    assert run("token", "list").stdout.splitlines()[1].split()[-1] == "revoked"

    assert list(work.iterdir()) == []
    assert (home / "mail-lint.db").is_file()
    assert (home.stat().st_mode & 0o777) == 0o700
