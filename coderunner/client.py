"""A small Python client of the CodeRunner API (SPEC sections 2 and 8), on httpx.

    from coderunner.client import Client

    with Client("http://127.0.0.1:8080", token="...") as runner:
        answer = runner.run("print(input())", "python", ["hello\\n"])   # synchronous
        task_id = runner.submit("print(input())", "python", ["a\\n", "b\\n"])
        for event in runner.events(task_id):                            # live, SSE
            print(event["event"], event["data"])
        task = runner.wait(task_id)                                     # GET /tasks/{id}?wait=

`AsyncClient` has the same methods as coroutines (`events` an async iterator).
Errors answered by the server raise `ClientError` carrying its status and code.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
from httpx_sse import aconnect_sse, connect_sse

FINAL = {"done", "failed", "cancelled"}
# Longest wait one GET /tasks/{id}?wait= may ask for (SPEC section 8).
MAX_WAIT_S = 30
# A stream that drops before "done" is reopened (with Last-Event-ID) this many times.
RECONNECTS = 5


class ClientError(Exception):
    """An error answer of the server: its HTTP status, machine code and message."""

    def __init__(self, status: int, code: str, message: str, body: Any = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.body = status, code, message, body


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def submission(
    code: str,
    language: str,
    tests: list[str],
    expected: list[str] | None = None,
    **options: Any,
) -> dict[str, Any]:
    """The request body; options in snake_case (time_limit_ms -> timeLimitMs)."""
    body: dict[str, Any] = {"code": code, "language": language, "testCases": list(tests)}
    if expected is not None:
        body["expectedOutputs"] = list(expected)
    body.update({_camel(key): value for key, value in options.items() if value is not None})
    return body


def _check(response: httpx.Response) -> dict[str, Any]:
    """The JSON object of a 2xx answer (every one of the API's bodies is an object)."""
    if response.is_success:
        answer: dict[str, Any] = response.json()
        return answer
    try:
        body = response.json()
        error = body["error"]
        raise ClientError(response.status_code, error["code"], error["message"], body)
    except (ValueError, KeyError, TypeError):
        raise ClientError(
            response.status_code, "http_error", response.text[:200] or response.reason_phrase
        ) from None


def _headers(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def _options(base_url: str, token: str | None, timeout: float) -> dict[str, Any]:
    """The httpx client's options, alike for both clients."""
    # Read timeout above the server's 15 s ping interval and its 30 s long poll.
    return {
        "base_url": base_url,
        "headers": _headers(token),
        "timeout": httpx.Timeout(timeout, read=60),
    }


def _event(sse: Any) -> dict[str, Any]:
    return {"id": int(sse.id) if sse.id else None, "event": sse.event, "data": json.loads(sse.data)}


class Client:
    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8080",
        token: str | None = None,
        *,
        timeout: float = 120.0,
        http: httpx.Client | None = None,
    ) -> None:
        self.http = http or httpx.Client(**_options(base_url, token, timeout))

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def run(
        self,
        code: str,
        language: str,
        tests: list[str],
        expected: list[str] | None = None,
        **options: Any,
    ) -> dict[str, Any]:
        """POST /isolatedTest: run and wait for the answer (the 200 body)."""
        body = submission(code, language, tests, expected, **options)
        return _check(self.http.post("/isolatedTest", json=body, timeout=None))

    def submit(
        self,
        code: str,
        language: str,
        tests: list[str],
        expected: list[str] | None = None,
        *,
        kind: str = "isolatedTest",
        callback_url: str | None = None,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> str:
        """POST /tasks: the new (or, with a repeated idempotency key, first) task's id."""
        body = submission(
            code, language, tests, expected, kind=kind, callback_url=callback_url, **options
        )
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        task_id: str = _check(self.http.post("/tasks", json=body, headers=headers))["id"]
        return task_id

    def get(self, task_id: str) -> dict[str, Any]:
        return _check(self.http.get(f"/tasks/{task_id}"))

    def get_many(self, ids: list[str]) -> list[dict[str, Any] | None]:
        tasks: list[dict[str, Any] | None] = _check(
            self.http.get("/tasks", params={"ids": ",".join(ids)})
        )["tasks"]
        return tasks

    def cancel(self, task_id: str) -> dict[str, Any]:
        return _check(self.http.delete(f"/tasks/{task_id}"))

    def wait(self, task_id: str, timeout: float | None = None) -> dict[str, Any]:
        """The task once it is final, or as it is after `timeout` seconds (long polls)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = MAX_WAIT_S if deadline is None else max(0, deadline - time.monotonic())
            task = _check(
                self.http.get(f"/tasks/{task_id}", params={"wait": int(min(MAX_WAIT_S, left))})
            )
            if task["status"] in FINAL or (deadline is not None and time.monotonic() >= deadline):
                return task

    def events(self, task_id: str, last_event_id: int = 0) -> Iterator[dict[str, Any]]:
        """The task's events ({"id", "event", "data"}) as they happen, up to "done";
        a dropped stream is reopened where it stopped (Last-Event-ID)."""
        last, failures = last_event_id, 0
        while True:
            headers = {"Last-Event-ID": str(last)} if last else {}
            try:
                with connect_sse(
                    self.http, "GET", f"/tasks/{task_id}/events", headers=headers
                ) as source:
                    if not source.response.is_success:
                        source.response.read()
                        _check(source.response)
                    for sse in source.iter_sse():
                        event = _event(sse)
                        last = event["id"] or last
                        failures = 0
                        yield event
                        if event["event"] == "done":
                            return
            except httpx.TransportError:
                failures += 1
                if failures > RECONNECTS:
                    raise
                time.sleep(min(2**failures * 0.1, 5))
                continue
            # The server ended the stream without "done" (the task was purged).
            return


class AsyncClient:
    """The same API for asyncio code."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8080",
        token: str | None = None,
        *,
        timeout: float = 120.0,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.http = http or httpx.AsyncClient(**_options(base_url, token, timeout))

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.http.aclose()

    async def run(
        self,
        code: str,
        language: str,
        tests: list[str],
        expected: list[str] | None = None,
        **options: Any,
    ) -> dict[str, Any]:
        body = submission(code, language, tests, expected, **options)
        return _check(await self.http.post("/isolatedTest", json=body, timeout=None))

    async def submit(
        self,
        code: str,
        language: str,
        tests: list[str],
        expected: list[str] | None = None,
        *,
        kind: str = "isolatedTest",
        callback_url: str | None = None,
        idempotency_key: str | None = None,
        **options: Any,
    ) -> str:
        body = submission(
            code, language, tests, expected, kind=kind, callback_url=callback_url, **options
        )
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        task_id: str = _check(await self.http.post("/tasks", json=body, headers=headers))["id"]
        return task_id

    async def get(self, task_id: str) -> dict[str, Any]:
        return _check(await self.http.get(f"/tasks/{task_id}"))

    async def cancel(self, task_id: str) -> dict[str, Any]:
        return _check(await self.http.delete(f"/tasks/{task_id}"))

    async def wait(self, task_id: str, timeout: float | None = None) -> dict[str, Any]:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = MAX_WAIT_S if deadline is None else max(0, deadline - time.monotonic())
            task = _check(
                await self.http.get(
                    f"/tasks/{task_id}", params={"wait": int(min(MAX_WAIT_S, left))}
                )
            )
            if task["status"] in FINAL or (deadline is not None and time.monotonic() >= deadline):
                return task

    async def events(self, task_id: str, last_event_id: int = 0) -> AsyncIterator[dict[str, Any]]:
        headers = {"Last-Event-ID": str(last_event_id)} if last_event_id else {}
        async with aconnect_sse(
            self.http, "GET", f"/tasks/{task_id}/events", headers=headers
        ) as source:
            if not source.response.is_success:
                await source.response.aread()
                _check(source.response)
            async for sse in source.aiter_sse():
                event = _event(sse)
                yield event
                if event["event"] == "done":
                    return
