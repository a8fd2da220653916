"""Who may use the log server: trusted addresses, and the bearer token when
`logserver.token` is set (plumbing.http's trusted-client middleware, enforcing).
Here: what a refusal leaves behind, folded so that a flood cannot fill the database
or the admins' mailboxes."""

from __future__ import annotations

import logging
import uuid

from starlette.types import Scope

from logserver.config import LogServerSettings
from logserver.store import AlarmPolicy, LogEvent, Store, utc_iso
from plumbing.errors import Forbidden, Unavailable
from plumbing.http import ClientPolicy, Refusals

logger = logging.getLogger("logserver.access")

# Constant: the mailer folds alarms with the same type, message and source.
REFUSED_MESSAGE = "refused a log-server request (untrusted address or wrong token)"


class RefusalReporter:
    """Every endpoint is for trusted hosts only, and with `logserver.token` set for
    holders of the token: events carry users' names and attack details, and anyone
    able to post could forge alarms. Refusals are logged and stored as one folded
    breach alarm per address per minute (constant message: the mails fold too)."""

    def __init__(self) -> None:
        # One stored alarm per address per minute; the rest are counted into the next.
        self.refusals = Refusals()

    async def __call__(self, scope: Scope, address: str, refusal: Forbidden) -> None:
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
            details={
                "address": address,
                "path": scope.get("path"),
                "count": count,
                "reason": refusal.message,
            },
            client=address,
        )
        policy = AlarmPolicy(settings.alarms.coalesce_delay_s, settings.alarms.coalesce_window_s)
        try:
            await store.insert_event(event, policy)
        except Unavailable as exc:
            logger.error("cannot store a refusal: %s", exc)
            return
        state["mailer"].wake()


def client_policy(settings: LogServerSettings) -> ClientPolicy:
    """The log server's access rule (no proxies: the log server is reached directly
    by coderunner and the admins)."""
    section = settings.logserver
    return ClientPolicy.from_config(
        section.trusted_hosts, token=section.token.get_secret_value(), setting="logserver"
    )
