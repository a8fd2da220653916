"""The admin page: recent events and undelivered alarm mails, server-rendered.

Event messages, users and details come from untrusted programs and clients, so
every value goes through `_e` (HTML-escaped, quotes included) on its way into
the page, and the page is served with a Content-Security-Policy that allows no
script at all: an escaping mistake would still not run anything.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from plumbing.events import DELIVERED_MAIL_STATUSES, EVENT_TYPES, MailStatus

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.5em; }
form { margin: 1em 0; } label { margin-right: 1em; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.msg { white-space: pre-wrap; word-break: break-word; max-width: 60em; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-weight: bold;
  font-size: 0.85em; text-transform: uppercase; }
.ev-info .badge { background: #e8f0fe; color: #1a4c9c; }
.ev-warning .badge { background: #fff3cd; color: #7a5a00; }
tr.ev-error { background: #fff1e6; } .ev-error .badge { background: #d9480f; color: #fff; }
tr.ev-breach { background: #ffe3e3; font-weight: 600; }
.ev-breach .badge { background: #c92a2a; color: #fff; }
.mail-pending, .mail-sending { color: #7a5a00; } .mail-failed { color: #c92a2a; font-weight: bold; }
.mail-sent, .mail-outbox { color: #2b8a3e; }
#mails { border: 2px solid #f08c00; padding: 0 1em 1em; }
.empty { color: #777; font-style: italic; }
pre { margin: 0; white-space: pre-wrap; }
"""

# The page has no script; the one inline style block is allowed by its hash.
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _link(**params: str) -> str:
    return _e("/?" + urlencode({k: v for k, v in params.items() if v}))


def _mail_cell(event: dict[str, Any]) -> str:
    status = event.get("mail_status")
    if not status:
        return ""
    text = status
    if status in DELIVERED_MAIL_STATUSES:
        text = f"{status} {event.get('mailed_at') or ''}"
    elif event.get("mail_attempts"):
        text = f"{status} ({event['mail_attempts']} attempts)"
    title = f' title="{_e(event["mail_error"])}"' if event.get("mail_error") else ""
    return f'<span class="mail-{_e(status)}"{title}>{_e(text)}</span>'


def _event_row(event: dict[str, Any]) -> str:
    kind = event["type"] if event["type"] in EVENT_TYPES else "info"
    details = ""
    if event.get("details"):
        dumped = json.dumps(event["details"], indent=2, sort_keys=True, ensure_ascii=False)
        details = f"<details><summary>details</summary><pre>{_e(dumped)}</pre></details>"
    user = event.get("user")
    user_cell = f'<a href="{_link(user=user)}">{_e(user)}</a>' if user else ""
    return (
        f'<tr class="ev ev-{kind}" id="ev-{_e(event["seq"])}">'
        f"<td>{_e(event['time'])}</td>"
        f'<td><span class="badge">{_e(event["type"])}</span>'
        f"{' &#128226;' if event.get('broadcast') else ''}</td>"
        f"<td>{user_cell}</td><td>{_e(event.get('source'))}</td>"
        f'<td class="msg">{_e(event["message"])}{details}</td>'
        f"<td>{_mail_cell(event)}</td></tr>"
    )


def _mail_row(mail: dict[str, Any]) -> str:
    # Pending after a failed attempt: delivery keeps being retried (never given up).
    pending = mail["status"] == MailStatus.PENDING
    status = "retrying" if pending and mail["attempts"] else mail["status"]
    css = MailStatus.FAILED if status == "retrying" else mail["status"]
    return (
        f'<tr class="mail-{_e(css)}"><td>#{_e(mail["id"])}</td>'
        f"<td>{_e(status)}</td>"
        f"<td>{_e(mail['type'])}: {_e(mail['message'])}</td>"
        f"<td>{_e(mail['count'])}</td><td>{_e(mail['attempts'])}</td>"
        f"<td>{_e(mail.get('last_error'))}</td></tr>"
    )


def _rows(items: Iterable[str], columns: int, empty: str) -> str:
    body = "".join(items)
    return body or f'<tr><td colspan="{columns}" class="empty">{_e(empty)}</td></tr>'


def render_admin(
    *,
    events: list[dict[str, Any]],
    mails: list[dict[str, Any]],
    selected_type: str,
    user: str,
    mail_mode: str,
) -> str:
    choices = [("", "all types"), *((kind, kind) for kind in EVENT_TYPES)]
    options = "".join(
        f'<option value="{value}"{" selected" if value == selected_type else ""}>{label}</option>'
        for value, label in choices
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="30">
<title>CodeRunner log server</title>
<style>{STYLE}</style></head>
<body>
<h1>CodeRunner log server</h1>
<section id="mails"><h2>Alarm mails not delivered yet ({len(mails)})</h2>
<p>Delivery: {_e(mail_mode)}</p>
<table><thead><tr><th>mail</th><th>status</th><th>alarm</th><th>count</th><th>attempts</th>
<th>last error</th></tr></thead>
<tbody>{_rows(map(_mail_row, mails), 6, "none: every alarm has been delivered")}</tbody></table>
</section>
<h2>Recent events</h2>
<form method="get" action="/">
<label>Type <select name="type">{options}</select></label>
<label>User <input name="user" value="{_e(user)}"></label>
<button type="submit">Filter</button> <a href="/">clear</a>
</form>
<table id="events"><thead><tr><th>time (UTC)</th><th>type</th><th>user</th><th>source</th>
<th>message</th><th>alarm mail</th></tr></thead>
<tbody>{_rows(map(_event_row, events), 6, "no events")}</tbody></table>
</body></html>
"""
