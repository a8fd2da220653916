"""A callback for a session that already ended: answered 200 while the runner
remembers it (a retry in flight), 404 once it is forgotten; the memory of ended
sessions is bounded by age (coderunner/runner/ended.py), which the soak relies on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.mark.docker
def test_ended_session_callback_is_idempotent_then_forgotten(
    make_server: Callable[..., Any],
) -> None:
    running = make_server(pool={"enabled": False})
    hello = {"code": "print('hi')", "language": "python", "testCases": [""]}
    with running.client() as client:
        answer = client.post("/isolatedTest", json=hello)
        assert answer.status_code == 200, answer.text
        session_id = answer.json()["sessionId"]
        # Any token: the session is over, a repeat changes nothing.
        repeat = client.get(f"/analyseTest/{session_id}", params={"token": "x"})
        assert repeat.status_code == 200, repeat.text
        unknown = client.get(f"/analyseTest/{'0' * 32}", params={"token": "x"})
        assert unknown.status_code == 404, unknown.text

        ended = running.state.runner._finished
        assert session_id in ended and len(ended) == 1
        ended.max_age_s = 0  # as if MAX_AGE_S had passed
        late = client.get(f"/analyseTest/{session_id}", params={"token": "x"})
        assert late.status_code == 404, late.text
        assert len(ended) == 0
