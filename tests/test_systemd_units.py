"""The systemd units in deploy/systemd/ as systemd itself reads them: `systemd-analyze verify` finds nothing to
say, and each unit runs as the mail-lint user with the hardening the README promises."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
UNITS = sorted((REPO / "deploy" / "systemd").glob("*.service"))
INSTALLED_AT = "/opt/mail-lint/bin/mail-lint"  # where the README installs it
HARDENING = {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes",
             "PrivateDevices": "yes", "StateDirectory": "mail-lint", "CapabilityBoundingSet": "",
             "User": "mail-lint", "UMask": "0077"}


def _service_section(unit: Path) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    section = None
    for line in unit.read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values.setdefault(key, []).append(value)
    return values


def test_the_three_units_are_there():
    assert [u.name for u in UNITS] == ["mail-lint-languagetool.service", "mail-lint-serve.service",
                                       "mail-lint-watch.service"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed (apt-get install systemd)")
def test_systemd_analyze_verify_finds_nothing(tmp_path):
    # verify checks that ExecStart's program exists: point it at this checkout's mail-lint.
    program = Path(sys.executable).parent / "mail-lint"
    for unit in UNITS:
        (tmp_path / unit.name).write_text(unit.read_text().replace(INSTALLED_AT, str(program)))
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *sorted(map(str, tmp_path.iterdir()))],
                            capture_output=True, text=True, timeout=60)
    # A value systemd cannot parse is only a warning (exit 0): any output at all is a failure.
    assert result.returncode == 0 and result.stdout == "" and result.stderr == "", result.stdout + result.stderr


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.stem)
def test_each_unit_is_hardened_and_keeps_data_in_the_data_directory(unit):
    service = _service_section(unit)
    for key, value in HARDENING.items():
        assert service.get(key) == [value], f"{unit.name}: {key}={service.get(key)}"
    assert "MAIL_LINT_HOME=/var/lib/mail-lint" in service["Environment"]
    assert service["ExecStart"][0].startswith(INSTALLED_AT + " ")
    assert service["KillSignal"] == ["SIGTERM"]


def test_secrets_come_from_credentials_or_an_environment_file():
    watch = _service_section(REPO / "deploy" / "systemd" / "mail-lint-watch.service")
    assert {c.split(":")[0] for c in watch["LoadCredential"]} == {"imap-password", "smtp-password"}
    serve = _service_section(REPO / "deploy" / "systemd" / "mail-lint-serve.service")
    assert serve["EnvironmentFile"] == ["-/etc/mail-lint/serve.env"]
    for unit in UNITS:  # no secret written into a unit (units are world-readable)
        assert not any("PASSWORD" in e.upper() or "DATABASE_URL" in e
                       for e in _service_section(unit).get("Environment", [])), unit.name
