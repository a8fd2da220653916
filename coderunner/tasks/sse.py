"""GET /tasks/{id}/events: a task's events as Server-Sent Events.

Replays the stored events after Last-Event-ID, then follows the hub live, dropping
what it already sent (by id) and re-reading the store whenever the hub lost events
for it. Ends after `done`. Idle streams get a `: ping` comment every `ping_s`.
A client that disconnects cancels the generator (EventStreamResponse listens for
http.disconnect), whose `finally` frees the subscription.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncGenerator, AsyncIterator

import anyio
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from ..errors import NotFound
from .hub import EventHub, SubscriptionLagged
from .store import TaskStore

PING = b": ping\n\n"
MAX_EVENT_ID = 2**62
# A final task's "done" event may trail its status by this much before a stream gives up.
DONE_GRACE_S = 5.0
HEADERS = {
    "Cache-Control": "no-cache",
    # nginx would otherwise buffer the stream and deliver it in lumps.
    "X-Accel-Buffering": "no",
}


class EventStreamResponse(StreamingResponse):
    """A StreamingResponse that always listens for the client's disconnect (whatever
    ASGI spec version the server reports: an idle stream writes only every ping_s,
    so waiting for a failed write would hold the subscription that long) and always
    closes its generator, so that the generator's `finally` frees the subscription."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = self.body_iterator
        try:
            async with anyio.create_task_group() as group:

                async def stream() -> None:
                    with contextlib.suppress(OSError):  # the client went away mid-write
                        await self.stream_response(send)
                    group.cancel_scope.cancel()

                group.start_soon(stream)
                await self.listen_for_disconnect(receive)
                group.cancel_scope.cancel()
        finally:
            if isinstance(body, AsyncGenerator):
                await body.aclose()


def last_event_id(header: str | None) -> int:
    """The Last-Event-ID header as an int; anything malformed counts as 0 (all events),
    anything huge as "after every event" (it must still fit an SQLite integer)."""
    try:
        value = int((header or "0").strip())
    except ValueError:
        return 0
    return min(max(value, 0), MAX_EVENT_ID)


async def event_stream(
    store: TaskStore,
    hub: EventHub,
    task_id: str,
    last_event_id: int = 0,
    *,
    ping_s: float = 15.0,
) -> StreamingResponse:
    """The text/event-stream response; NotFound (404) for an unknown or expired task."""
    if await store.get(task_id) is None:
        raise NotFound(f"no task {task_id}")
    return EventStreamResponse(
        _events(store, hub, task_id, last_event_id, ping_s),
        media_type="text/event-stream",
        headers=HEADERS,
    )


async def _events(
    store: TaskStore, hub: EventHub, task_id: str, last: int, ping_s: float
) -> AsyncIterator[bytes]:
    # Subscribed inside the generator, so that only a started stream holds one (and its
    # `finally` frees it); before the replay, so that an event stored during the replay
    # is in the subscription too (then dropped as a duplicate) rather than in neither.
    subscription = hub.subscribe(task_id)
    try:
        # An initial comment: the client sees the stream is open before any event.
        yield PING
        replay = await store.events_after(task_id, last)
        replayed = False
        while True:
            for event in replay:
                if event.id <= last:
                    continue
                yield event.sse()
                last = event.id
                if event.type == "done":
                    return
            if not replayed:
                replayed = True
                if await _ended(store, task_id, last):
                    return
            try:
                fresh = await subscription.get(timeout=ping_s)
            except SubscriptionLagged:
                replay = await store.events_after(task_id, last)
                continue
            if fresh is None:
                if await _ended(store, task_id, last):
                    return
                yield PING
                replay = []
            elif fresh.id > last + 1:
                # A gap (should not happen): fill it from the store, in order.
                replay = await store.events_after(task_id, last)
            else:
                replay = [fresh]
    finally:
        subscription.close()


async def _ended(store: TaskStore, task_id: str, last: int) -> bool:
    """Nothing more will come: the task was purged, or the client already has its
    "done" (Last-Event-ID at or past it), or it finished long ago without one (a
    producer that died): end the stream rather than ping forever."""
    task = await store.get(task_id)
    if task is None:
        return True
    if not task.final:
        return False
    latest = await store.last_event(task_id)
    if latest is not None and latest.type == "done" and latest.id <= last:
        return True
    return (task.finished_at or 0) < time.time() - DONE_GRACE_S
