"""The systemd units: `systemd-analyze verify` accepts them, and they keep the
operational promises (dedicated user, restart, ordering, sandbox, paths)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import REPO, unavailable

UNITS = ("coderunner.service", "logserver.service", "coderunner-worker.service")
# Where a Debian (merged /usr or not) keeps the units systemd itself ships.
VENDOR_UNIT_DIRS = (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system"))


def _analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        unavailable("systemd-analyze is missing (apt-get install systemd)")
    return found


class CaseSensitiveParser(configparser.ConfigParser):
    """systemd keys are case-sensitive (ConfigParser lower-cases them by default)."""

    def optionxform(self, optionstr: str) -> str:
        return optionstr


def _unit(name: str) -> configparser.ConfigParser:
    # strict=False: a unit may repeat a key (several ExecStartPre=, say).
    parser = CaseSensitiveParser(strict=False, interpolation=None)
    parser.read(REPO / "systemd" / name)
    return parser


def _fake_root(tmp_path: Path) -> Path:
    """A root that has what `verify` checks: the units systemd ships (targets the
    units reach), our units where install.sh puts them, and their ExecStart
    programs (dummies: verify only checks they exist and are executable)."""
    root = tmp_path / "root"
    vendor = next((d for d in VENDOR_UNIT_DIRS if (d / "sysinit.target").exists()), None)
    assert vendor is not None, "no systemd unit directory with sysinit.target"
    shutil.copytree(vendor, root / "usr/lib/systemd/system", symlinks=True)
    etc = root / "etc/systemd/system"
    etc.mkdir(parents=True)
    for name in UNITS:
        shutil.copy(REPO / "systemd" / name, etc / name)
        program = Path(_unit(name)["Service"]["ExecStart"].split()[0])
        fake = root / program.relative_to("/")
        fake.parent.mkdir(parents=True, exist_ok=True)
        fake.write_text("#!/bin/sh\nexit 0\n")
        fake.chmod(0o755)
    return root


def test_systemd_analyze_verify_accepts_both_units(tmp_path: Path) -> None:
    analyze = _analyze()
    root = _fake_root(tmp_path)
    proc = subprocess.run(
        [analyze, "verify", f"--root={root}", *UNITS],
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = proc.stdout + proc.stderr
    # verify exits 0 even for an unknown key or a bad value; it only says so.
    complaints = [line for line in output.splitlines() if any(u in line for u in UNITS)]
    assert proc.returncode == 0, output
    assert complaints == [], output


@pytest.mark.parametrize("name", UNITS)
def test_units_run_as_the_service_user_with_a_sandbox(name: str) -> None:
    unit = _unit(name)
    service, after = unit["Service"], unit["Unit"]["After"].split()
    assert service["User"] == service["Group"] == "coderunner"
    assert service["Restart"] == "on-failure"
    assert {"docker.service", "network-online.target"} <= set(after)
    command = "worker" if name == "coderunner-worker.service" else "serve"
    assert service["ExecStart"].endswith(f"{command} --config /etc/coderunner/config.toml")
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == "/var/lib/coderunner"
    assert service["Environment"] == "HOME=/var/lib/coderunner"
    for key in ("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices"):
        assert service[key] == "true", key
    assert service["CapabilityBoundingSet"] == ""
    # What the service creates (session files, spool, events) is its own alone.
    assert service["UMask"] == "0077"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_coderunner_can_reach_the_engine_but_does_not_die_with_it() -> None:
    unit = _unit("coderunner.service")
    assert unit["Service"]["SupplementaryGroups"] == "docker"
    # Requires= would stop coderunner with the engine and keep it from starting
    # without one; then /health could not say what is wrong.
    assert "Requires" not in unit["Unit"]
    assert "docker.service" in unit["Unit"]["Wants"].split()


def test_the_session_root_mount_renders_and_verifies(tmp_path: Path) -> None:
    """install.sh fills systemd/sessions.mount.in and names it after the path;
    the result is a valid mount unit capping the session root in size and inodes."""
    analyze = _analyze()
    root = _fake_root(tmp_path)
    where = "/var/lib/coderunner/sessions"
    name = subprocess.run(
        ["systemd-escape", "--path", "--suffix=mount", where],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert name == "var-lib-coderunner-sessions.mount"
    template = (REPO / "systemd" / "sessions.mount.in").read_text()
    for key, value in {
        "WHERE": where,
        "UID": "998",
        "GID": "997",
        "SIZE": "2G",
        "INODES": "262144",
    }.items():
        template = template.replace(f"@{key}@", value)
    assert "@" not in template
    (root / "etc/systemd/system" / name).write_text(template)
    proc = subprocess.run(
        [analyze, "verify", f"--root={root}", name, "coderunner.service"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert [line for line in output.splitlines() if name in line] == [], output
    options = dict(
        opt.split("=", 1)
        for opt in configparser_mount(template)["Options"].split(",")
        if "=" in opt
    )
    assert options["size"] == "2G" and options["nr_inodes"] == "262144"
    assert (options["uid"], options["gid"]) == ("998", "997")
    # coderunner waits for the mount whenever the mount unit exists.
    assert _unit("coderunner.service")["Unit"]["RequiresMountsFor"] == where


def configparser_mount(text: str) -> configparser.SectionProxy:
    parser = CaseSensitiveParser(strict=False, interpolation=None)
    parser.read_string(text)
    return parser["Mount"]
