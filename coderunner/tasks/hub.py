"""Live fan-out of task events to the streams watching each task, in memory.

Every event is stored before it is published, so the hub may drop: a subscriber's
buffer is bounded, and one that falls behind is marked lagged (its buffer emptied)
and re-reads the store from the last event it saw. A slow client therefore costs at
most `buffer` events of memory and never slows the producer or other clients.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator

from .model import TaskEvent


class SubscriptionLagged(Exception):
    """Events were dropped for this subscriber: re-read the store after the last id seen."""


class Subscription:
    def __init__(self, hub: EventHub, task_id: str, buffer: int) -> None:
        self.hub = hub
        self.task_id = task_id
        self._events: deque[TaskEvent] = deque()
        self._buffer = buffer
        self._lagged = False
        self._waiter: asyncio.Future[None] | None = None
        self._ended = False
        self.closed = False

    def _put(self, event: TaskEvent) -> None:
        if self._lagged:
            pass
        elif len(self._events) >= self._buffer:
            # Free the memory now; the reader catches up from the store.
            self._events.clear()
            self._lagged = True
        else:
            self._events.append(event)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def get(self, timeout: float | None = None) -> TaskEvent | None:
        """The next live event; None after `timeout` seconds without one.
        Raises SubscriptionLagged once after events were dropped (then continues live)."""
        if not self._events and not self._lagged:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await asyncio.wait_for(self._waiter, timeout)
            except TimeoutError:
                return None
            finally:
                self._waiter = None
        if self._lagged:
            self._lagged = False
            raise SubscriptionLagged(self.task_id)
        return self._events.popleft()

    def __aiter__(self) -> AsyncIterator[TaskEvent]:
        return self

    async def __anext__(self) -> TaskEvent:
        """Iteration for consumers that need no pings: ends after a "done" event."""
        if self._ended or self.closed:
            raise StopAsyncIteration
        event = await self.get()
        assert event is not None
        if event.type == "done":
            self._ended = True
            self.close()
        return event

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.hub._unsubscribe(self)

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


class EventHub:
    def __init__(self, buffer: int = 64) -> None:
        self.buffer = buffer
        self._subscribers: dict[str, set[Subscription]] = {}

    def subscribe(self, task_id: str) -> Subscription:
        subscription = Subscription(self, task_id, self.buffer)
        self._subscribers.setdefault(task_id, set()).add(subscription)
        return subscription

    async def publish(self, event: TaskEvent) -> None:
        """Hand the event to every subscriber of its task; never blocks (call it after
        store.add_event, so that a late subscriber finds the event in the store)."""
        for subscription in list(self._subscribers.get(event.task_id, ())):
            subscription._put(event)

    def _unsubscribe(self, subscription: Subscription) -> None:
        watchers = self._subscribers.get(subscription.task_id)
        if watchers is not None:
            watchers.discard(subscription)
            if not watchers:
                del self._subscribers[subscription.task_id]

    def count(self, task_id: str | None = None) -> int:
        """Open subscriptions (of one task, or all): what /metrics and tests look at."""
        if task_id is not None:
            return len(self._subscribers.get(task_id, ()))
        return sum(len(watchers) for watchers in self._subscribers.values())
