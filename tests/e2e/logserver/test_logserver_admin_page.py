"""The admin page as a real browser (headless Chromium) sees it."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.helpers import unavailable, wait_until
from tests.support.logserver import LogServer

XSS_MESSAGE = (
    '<script>document.title="pwned"</script>'
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
)
XSS_USER = '"><b id="injected">bob</b>'


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "headless Chromium is needed: apt-get install chromium"
        unavailable(message)
    return path


def _render(url: str, profile: Path) -> tuple[str, str]:
    """The DOM after load (`--dump-dom`) and the browser's console log."""
    result = subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "</html>" in result.stdout, result.stderr[-2000:]
    return result.stdout, result.stderr


def _rows(dom: str) -> list[str]:
    return re.findall(r'<tr class="ev ev-(\w+)"', dom)


def test_the_admin_page_shows_events_escaped(
    make_logserver: Callable[..., LogServer], tmp_path: Path
) -> None:
    server = make_logserver()
    for body in (
        dict(type="info", message="request from alice accepted", user="alice"),
        dict(type="warning", message="sanitizer: suspicious import os", user="alice"),
        dict(type="error", message="internal error: KeyError 'x'", broadcast=True),
        dict(type="breach", message=XSS_MESSAGE, user=XSS_USER, broadcast=True),
    ):
        assert server.post(**body).status_code == 200
    # Let the alarm mails reach the outbox, so the page shows their status.
    wait_until(lambda: all(e["mailed_at"] for e in server.events(broadcast="true")), 10, "mails")

    dom, console = _render(server.url + "/", tmp_path / "profile")
    assert "<title>CodeRunner log server</title>" in dom  # the script did not run
    assert _rows(dom) == ["breach", "error", "warning", "info"]
    assert "request from alice accepted" in dom
    assert "sanitizer: suspicious import os" in dom
    assert "internal error: KeyError 'x'" in dom
    # The attacker's markup is text, not elements.
    assert '&lt;script&gt;document.title="pwned"&lt;/script&gt;&lt;img src=x onerror=' in dom
    assert "<script" not in dom.lower()
    assert "<img" not in dom.lower()
    assert "data-pwned" not in dom.replace("'data-pwned'", "")
    assert not re.search(r"<b[\s>]", dom)  # the user name's markup is no element either
    assert '&lt;b id="injected"&gt;bob&lt;/b&gt;' in dom
    # Breaches and errors are marked for their styling, and the styling applies:
    # Chromium reports any Content-Security-Policy refusal on its console.
    assert re.search(r'<tr class="ev ev-breach"[^>]*>.*?<span class="badge">breach', dom)
    assert "Content Security Policy" not in console, console[-2000:]
    assert 'class="mail-outbox"' in dom

    dom, _ = _render(server.url + "/?type=breach", tmp_path / "profile")
    assert _rows(dom) == ["breach"]
    dom, _ = _render(server.url + "/?user=alice", tmp_path / "profile")
    assert _rows(dom) == ["warning", "info"]
    assert 'value="alice"' in dom
