"""Webhooks: a task's JSON POSTed to its callbackUrl when it ends, signed, retried.

Durable: `enqueue` writes the exact body into the store's outbox before anything is
sent, and the dispatcher delivers whatever is due, so a delivery pending at a restart
resumes after it. Each attempt runs in its own asyncio task under a total time
budget (connect + send + answer headers; the answer's body is never read), so a
receiver that hangs costs one concurrency slot for at most `webhook_timeout_s` and
never delays another delivery. Redirects are not followed: the allow-list was
checked against the URL given, not against wherever a receiver points next.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import ipaddress
import logging
import time
from urllib.parse import urlsplit

import httpx

from ..config import TasksSettings
from ..errors import CallbackNotAllowed, InvalidRequest
from .model import Task, dumps
from .store import Delivery, TaskStore

logger = logging.getLogger("coderunner.webhooks")

MAX_URL_LENGTH = 2048
# How often the dispatcher looks at the outbox even when nothing woke it.
IDLE_POLL_S = 5.0


def sign(secret: str, body: bytes) -> str:
    """The X-CodeRunner-Signature value: "sha256=" + hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def check_callback_url(url: str, allowed: list[str]) -> str:
    """The URL if its host is allowed. InvalidRequest when it is not an absolute
    http(s) URL with a host (credentials in it count as malformed: they hide the
    host from a reader); CallbackNotAllowed when the host is not in `allowed`.

    An IP literal matches an address or CIDR entry; a host name matches a name entry
    exactly (case-insensitive, trailing dot ignored). A name is never resolved here:
    the operator vouches for the names listed.
    """
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        raise InvalidRequest(
            f"callbackUrl must be an http(s) URL of at most {MAX_URL_LENGTH} characters"
        )
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise InvalidRequest("callbackUrl must not contain whitespace or control characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise InvalidRequest(f"callbackUrl is malformed: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise InvalidRequest("callbackUrl must use http or https")
    if not host:
        raise InvalidRequest("callbackUrl has no host")
    if parts.username is not None or parts.password is not None:
        raise InvalidRequest("callbackUrl must not contain credentials")
    if not _host_allowed(host, allowed):
        raise CallbackNotAllowed(
            f"callbackUrl host {host!r} is not in tasks.webhook_hosts", details={"host": host}
        )
    return url


def _host_allowed(host: str, allowed: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    name = host.rstrip(".").lower()
    for entry in allowed:
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            if address is None and name == entry.rstrip(".").lower():
                return True
            continue
        if address is not None and address.version == network.version and address in network:
            return True
    return False


class Webhooks:
    def __init__(self, settings: TasksSettings, store: TaskStore, http: httpx.AsyncClient) -> None:
        self.settings = settings
        self.store = store
        self.http = http
        self._wake = asyncio.Event()
        self._dispatcher: asyncio.Task[None] | None = None
        self._inflight: dict[int, asyncio.Task[None]] = {}
        self._slots = asyncio.Semaphore(settings.webhook_concurrency)

    async def start(self) -> None:
        """Start delivering, beginning with whatever a previous run left pending."""
        self._dispatcher = asyncio.create_task(self._dispatch(), name="webhooks")

    async def close(self) -> None:
        """Stop; attempts in flight are cancelled and stay pending (resumed next start)."""
        tasks = [t for t in (self._dispatcher, *self._inflight.values()) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._dispatcher = None

    async def enqueue(self, task: Task) -> None:
        """Store the delivery of this finished task's JSON, then wake the dispatcher."""
        if not task.callback_url:
            return
        body = dumps(task.public()).encode()
        await self.store.add_delivery(task.id, task.callback_url, body)
        self._wake.set()

    def backoff(self, attempts: int) -> float:
        """Seconds before the next attempt after `attempts` failed ones."""
        # A float base: int ** int is typed Any (a negative exponent would make it a float).
        delay = self.settings.webhook_backoff_s * 2.0 ** (attempts - 1)
        return min(delay, self.settings.webhook_backoff_max_s)

    async def _dispatch(self) -> None:
        while True:
            # Cleared before looking: a wake-up from here on is never lost.
            self._wake.clear()
            try:
                await self._launch_due()
                wait = await self._until_next()
            except asyncio.CancelledError:
                raise
            except Exception:  # the store failing must not end deliveries for good
                logger.exception("webhook dispatcher")
                wait = IDLE_POLL_S
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    async def _launch_due(self) -> None:
        limit = self.settings.webhook_concurrency * 2
        # An attempt in flight when the read begins may end (and be recorded) before the
        # read's answer arrives: that answer still shows it due. Such ids wait for the
        # next round's fresh read, else the receiver would get the same delivery twice.
        busy = set(self._inflight)
        for delivery in await self.store.due_deliveries(time.time(), limit=limit):
            if delivery.id in busy or delivery.id in self._inflight:
                continue
            task = asyncio.create_task(self._attempt(delivery), name=f"webhook-{delivery.id}")
            self._inflight[delivery.id] = task

    async def _until_next(self) -> float:
        due = await self.store.next_delivery_at()
        if due is None:
            return IDLE_POLL_S
        return min(max(due - time.time(), 0.01), IDLE_POLL_S)

    async def _attempt(self, delivery: Delivery) -> None:
        try:
            async with self._slots:
                error = await self._post(delivery)
            attempts = delivery.attempts + 1
            record = self.store.delivery_attempted
            if error is None:
                await record(delivery.id, done=True, next_at=None, error=None)
            elif attempts >= self.settings.webhook_attempts:
                logger.warning(
                    "webhook for task %s to %s given up after %d attempts: %s",
                    delivery.task_id,
                    delivery.url,
                    attempts,
                    error,
                )
                await record(delivery.id, done=True, next_at=None, error=error)
            else:
                next_at = time.time() + self.backoff(attempts)
                await record(delivery.id, done=False, next_at=next_at, error=error)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("webhook delivery %d", delivery.id)
        finally:
            self._inflight.pop(delivery.id, None)
            self._wake.set()

    async def _post(self, delivery: Delivery) -> str | None:
        """One attempt; None when the receiver answered 2xx, else what went wrong."""
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "coderunner-webhooks",
            "X-CodeRunner-Task": delivery.task_id,
            "X-CodeRunner-Signature": sign(self.settings.webhook_secret, delivery.body),
        }
        budget = self.settings.webhook_timeout_s
        request = self.http.build_request(
            "POST", delivery.url, content=delivery.body, headers=headers, timeout=budget
        )
        try:
            async with asyncio.timeout(budget):
                response = await self.http.send(request, stream=True, follow_redirects=False)
                await response.aclose()  # the status is all we need; never read the body
        except TimeoutError:
            return f"no answer within {budget:g} s"
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"[:500]
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}"
