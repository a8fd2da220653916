"""Recently ended sandboxes, so that a repeated callback for one is answered 200.

A container calls GET /analyseTest once when its program ends; a retry of that call
can still be in flight after the session is over (the answer lost on the way). Such
repeats come within seconds, so the ids are kept for `max_age_s` and at most
`max_ids` of them: memory stays flat however many sessions the server runs (the soak
showed a count-only bound growing through its whole first 10,000 sessions).
"""

from __future__ import annotations

import collections
import time
from collections.abc import Callable

# Ids are remembered this long after their session ended (repeats come within seconds).
MAX_AGE_S = 120.0
# And never more than this many, whatever the rate (about 150 bytes each).
MAX_IDS = 10_000


class Ended:
    def __init__(
        self,
        *,
        max_age_s: float = MAX_AGE_S,
        max_ids: int = MAX_IDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_age_s = max_age_s
        self.max_ids = max_ids
        self._clock = clock
        # id -> when it ended; oldest first, so expiry only ever looks at the front.
        self._ids: collections.OrderedDict[str, float] = collections.OrderedDict()

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, sandbox_id: object) -> bool:
        self._expire()
        return sandbox_id in self._ids

    def add(self, sandbox_id: str) -> None:
        self._ids[sandbox_id] = self._clock()
        self._ids.move_to_end(sandbox_id)
        self._expire()

    def _expire(self) -> None:
        cutoff = self._clock() - self.max_age_s
        ids = self._ids
        while ids and (len(ids) > self.max_ids or next(iter(ids.values())) <= cutoff):
            ids.popitem(last=False)
