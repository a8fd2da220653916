"""Retention: events and outbox mails are not kept forever (`logserver.retention_days`,
`smtp.outbox_retention_days`). Alarms not yet delivered are never deleted."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from logserver.config import LogServerSettings
from logserver.store import Store, utc_iso

logger = logging.getLogger("logserver.retention")

# A pass runs this often at most (and at least ten times per retention period).
PURGE_INTERVAL_S = 3_600.0


async def retention(settings: LogServerSettings, store: Store) -> None:
    """Delete events and outbox mails past their retention, now and periodically."""
    events_s = settings.logserver.retention_days * 86_400
    outbox_s = settings.smtp.outbox_retention_days * 86_400
    interval = max(0.1, min(PURGE_INTERVAL_S, events_s / 10, outbox_s / 10))
    while True:
        try:
            cutoff = utc_iso(datetime.now(UTC) - timedelta(seconds=events_s))
            events, mails = await store.purge(cutoff)
            files = await asyncio.to_thread(_purge_outbox, settings.smtp.outbox, outbox_s)
            if events or mails or files:
                logger.info(
                    "retention: deleted %d events, %d mail jobs, %d outbox files",
                    events,
                    mails,
                    files,
                )
        except Exception:  # a bad disk must not end retention for the run
            logger.exception("retention pass failed")
        await asyncio.sleep(interval)


def _purge_outbox(outbox: Path, max_age_s: float) -> int:
    cutoff = time.time() - max_age_s
    deleted = 0
    try:
        entries = list(os.scandir(outbox))
    except FileNotFoundError:
        return 0
    for entry in entries:
        try:
            if (
                entry.name.endswith(".eml")
                and entry.is_file(follow_symlinks=False)
                and entry.stat(follow_symlinks=False).st_mtime < cutoff
            ):
                os.unlink(entry.path)
                deleted += 1
        except FileNotFoundError:
            continue
    return deleted
