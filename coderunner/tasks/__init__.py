"""Asynchronous tasks (SPEC section 8): the model, the SQLite store with its one writer,
the live event hub, the Server-Sent Events stream and the webhook deliveries."""

from .hub import EventHub, Subscription, SubscriptionLagged
from .model import FINAL, Task, TaskEvent, TaskStatus, iso_utc, new_task_id
from .sse import event_stream
from .store import Delivery, StoreClosed, TaskStore
from .webhooks import Webhooks, check_callback_url, sign

__all__ = [
    "FINAL",
    "Delivery",
    "EventHub",
    "StoreClosed",
    "Subscription",
    "SubscriptionLagged",
    "Task",
    "TaskEvent",
    "TaskStatus",
    "TaskStore",
    "Webhooks",
    "check_callback_url",
    "event_stream",
    "iso_utc",
    "new_task_id",
    "sign",
]
