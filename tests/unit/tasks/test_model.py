"""Task model: ids, the public body, SSE framing."""

from __future__ import annotations

import json
import re

from coderunner.tasks import TaskEvent, TaskStatus, iso_utc, new_task_id
from tests.unit.tasks.conftest import make_task


def test_task_ids_are_32_hex_and_unrelated() -> None:
    ids = {new_task_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(re.fullmatch(r"[0-9a-f]{32}", task_id) for task_id in ids)


def test_iso_utc() -> None:
    assert iso_utc(None) is None
    assert iso_utc(0) == "1970-01-01T00:00:00.000Z"
    assert iso_utc(1796292000.1234) == "2026-12-03T10:00:00.123Z"


def test_public_body_has_the_spec_fields_only() -> None:
    task = make_task(callback_url="http://127.0.0.1/x")
    task.status, task.started_at = TaskStatus.RUNNING, 1796292000.5
    body = task.public()
    assert list(body) == [
        "id",
        "kind",
        "status",
        "createdAt",
        "startedAt",
        "finishedAt",
        "result",
        "error",
    ]
    assert body["status"] == "running" and body["startedAt"] == "2026-12-03T10:00:00.500Z"
    assert body["finishedAt"] is None and body["result"] is None
    # Internal fields (who submitted, the request, the callback) are not exposed.
    assert "client" not in body and "request" not in body and "callbackUrl" not in body
    assert json.dumps(body)


def test_sse_framing_cannot_be_broken_by_the_data() -> None:
    nasty = {"stdout": "x\n\nid: 99\nevent: done\ndata: {}\n\n", "e": "\r\r\n"}
    raw = TaskEvent("t", 3, "test", nasty).sse().decode()
    assert raw.count("\n") == 4 and raw.endswith("\n\n") and "\r" not in raw
    fields = raw.split("\n")[:3]
    assert fields[0] == "id: 3" and fields[1] == "event: test"
    assert json.loads(fields[2].removeprefix("data: ")) == nasty
