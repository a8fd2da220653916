"""Background loops end on close() even when a client library loses our cancel (the
loop then goes on to its next sleep), and close() never waits for ever."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import pytest
from redis.exceptions import RedisError

from coderunner.dispatch.base import finish_loops


def loop_that_loses_a_cancel(
    started: asyncio.Event, losses: int, stop: asyncio.Event | None = None
) -> asyncio.Task[None]:
    """A loop whose library call turns the first `losses` cancels into its own error,
    which the loop logs and goes on from, as a broker loop does with RedisError."""
    lost = 0

    async def call() -> None:
        nonlocal lost
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            if lost >= losses:
                raise
            lost += 1
            task = asyncio.current_task()
            assert task is not None
            task.uncancel()
            raise RedisError("Timeout reading from socket") from None

    async def loop() -> None:
        while stop is None or not stop.is_set():
            with contextlib.suppress(RedisError):
                await call()
            await asyncio.sleep(0.01)

    return asyncio.create_task(loop(), name="lossy-loop")


async def test_a_loop_that_lost_one_cancel_still_ends() -> None:
    started = asyncio.Event()
    task = loop_that_loses_a_cancel(started, losses=1)
    await started.wait()
    await finish_loops([task], timeout=5)
    assert task.cancelled()


async def test_close_is_bounded_when_a_loop_loses_every_cancel(
    caplog: pytest.LogCaptureFixture,
) -> None:
    started, stop = asyncio.Event(), asyncio.Event()
    task = loop_that_loses_a_cancel(started, losses=1_000_000, stop=stop)
    await started.wait()
    with caplog.at_level(logging.ERROR):
        await finish_loops([task], timeout=0.5)
    assert not task.done()
    assert "lossy-loop did not stop within 0.5 s" in caplog.text
    stop.set()
    task.cancel()  # lost as well; the loop now sees `stop`
    await asyncio.wait_for(task, 5)
