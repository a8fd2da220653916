"""Who may use the log server: trusted addresses, and the bearer token when
`logserver.token` is set. Refusals are folded so that a flood cannot fill the
database or the admins' mailboxes."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import time
import uuid
from collections import OrderedDict

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from coderunner.errors import Forbidden, Unavailable
from logserver.config import LogServerSettings
from logserver.store import AlarmPolicy, LogEvent, Store, utc_iso

logger = logging.getLogger("logserver.access")

# Refused callers: one stored alarm per address per minute (the rest are counted
# into the next one), and a bounded memory of addresses.
REFUSAL_WINDOW_S = 60.0
MAX_REFUSAL_ADDRESSES = 10_000
# Constant: the mailer folds alarms with the same type, message and source.
REFUSED_MESSAGE = "refused a log-server request (untrusted address or wrong token)"


class Refusals:
    """Folds refusals: `fold(address)` is the number to report now (this one plus
    those held back during the last minute), or None to stay quiet."""

    def __init__(self) -> None:
        self._seen: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def fold(self, address: str) -> int | None:
        now = time.monotonic()
        entry = self._seen.pop(address, None)
        if entry is not None and now - entry[0] < REFUSAL_WINDOW_S:
            self._seen[address] = (entry[0], entry[1] + 1)
            return None
        self._seen[address] = (now, 0)
        while len(self._seen) > MAX_REFUSAL_ADDRESSES:
            self._seen.popitem(last=False)
        return 1 + (entry[1] if entry is not None else 0)


class TrustedHostsMiddleware:
    """Every endpoint is for trusted hosts only, and with `logserver.token` set for
    holders of the token: events carry users' names and attack details, and anyone
    able to post could forge alarms. Refusals are logged and stored as one folded
    breach alarm per address per minute (constant message: the mails fold too)."""

    def __init__(self, app: ASGIApp, networks: list[str], token: str = "") -> None:
        self.app = app
        self.networks = [ipaddress.ip_network(item, strict=False) for item in networks]
        self.token = token.encode()
        self.refusals = Refusals()

    def _trusted(self, client: tuple[str, int] | None) -> bool:
        if not client:
            return False
        try:
            address = ipaddress.ip_address(client[0])
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return any(address in network for network in self.networks)

    def _authorized(self, scope: Scope) -> bool:
        if not self.token:
            return True
        value = b""
        for name, header in scope.get("headers", []):
            if name == b"authorization":
                value = header
        scheme, _, given = value.partition(b" ")
        # Bytes on both sides: compare_digest refuses non-ASCII str (a 500).
        return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self.token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self._trusted(scope.get("client")):
            refusal = Forbidden("this address is not in logserver.trusted_hosts")
        elif not self._authorized(scope):
            refusal = Forbidden("missing or wrong bearer token (logserver.token)")
        else:
            await self.app(scope, receive, send)
            return
        await self._report(scope, refusal.message)
        response = JSONResponse(refusal.body(), status_code=refusal.status)
        await response(scope, receive, send)

    async def _report(self, scope: Scope, reason: str) -> None:
        address = (scope.get("client") or ("unknown", 0))[0]
        count = self.refusals.fold(address)
        if count is None:
            return
        logger.warning("%s from %s (%d refusal(s))", REFUSED_MESSAGE, address, count)
        state = scope.get("state") or {}
        store: Store | None = state.get("store")
        settings: LogServerSettings | None = state.get("settings")
        if store is None or settings is None:
            return
        event = LogEvent(
            id=uuid.uuid4().hex,
            time=utc_iso(),
            received_at=utc_iso(),
            type="breach",
            message=REFUSED_MESSAGE,
            user=None,
            source="logserver",
            broadcast=True,
            details={"address": address, "path": scope.get("path"), "count": count,
                     "reason": reason},
            client=address,
        )
        policy = AlarmPolicy(settings.alarms.coalesce_delay_s, settings.alarms.coalesce_window_s)
        try:
            await store.insert_event(event, policy)
        except Unavailable as exc:
            logger.error("cannot store a refusal: %s", exc)
            return
        state["mailer"].wake()
