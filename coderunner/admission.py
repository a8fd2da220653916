"""Admission: everything that decides whether a request may run, before a container
is spent on it — who may call (trusted hosts, token), how often (rate limits), and
how much (body, code, test-case sizes). gate.py applies them all to a submission in
one call, `admit()`."""

from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request

from plumbing.http import (
    ClientPolicy,
    Refusals,
    client_address,
    is_loopback,
    parse_address,
    read_body,
)

from .config import LimitsSettings, RateLimitSettings, ServerSettings
from .errors import (
    CodeTooLong,
    InputTooLarge,
    InvalidRequest,
    RateLimited,
    TooManyTestCases,
)

# Re-exported: the address helpers live with the trusted-client middleware.
__all__ = ["Admission", "Caller", "count_lines", "is_loopback", "parse_address"]

WINDOW_S = 60.0  # rate limits and breach reports are "per minute"
# Memory bounds: a flood of distinct callers must not grow the process without limit.
MAX_BREACH_ADDRESSES = 10_000
# Users are kept by key; a long `user` string is hashed so a key stays small.
MAX_USER_KEY = 128


def count_lines(text: str) -> int:
    """Lines as an editor shows them: CRLF, CR and LF each end one line."""
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    return breaks + (1 if text and not text.endswith(("\n", "\r")) else 0)


@dataclass(frozen=True)
class Caller:
    """Who asks, as plain values: what admission needs of an HTTP request."""

    address: str  # the client's address (behind a trusted proxy: the origin's)
    path: str = "/"  # named in the breach alarm
    authorization: str = ""  # the Authorization header
    user: str | None = None  # the X-User header

    @classmethod
    def of(cls, request: Request, address: str) -> Caller:
        return cls(
            address=address,
            path=request.url.path,
            authorization=request.headers.get("authorization", ""),
            user=request.headers.get("x-user"),
        )


class _Window:
    """Exact sliding window: the admission times of the last minute, oldest first.

    Exact (not a token bucket) so that Retry-After can say when a slot frees.
    """

    __slots__ = ("stamps",)

    def __init__(self) -> None:
        self.stamps: deque[float] = deque()

    def expire(self, now: float) -> None:
        while self.stamps and self.stamps[0] <= now - WINDOW_S:
            self.stamps.popleft()

    def wait(self, now: float, limit: int) -> float:
        """Seconds until one more request fits (0 when it fits now)."""
        self.expire(now)
        if len(self.stamps) < limit:
            return 0.0
        return self.stamps[len(self.stamps) - limit] + WINDOW_S - now


class Admission:
    def __init__(
        self,
        server: ServerSettings,
        ratelimit: RateLimitSettings,
        limits: LimitsSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = ClientPolicy.from_config(server.trusted_hosts, server.proxies, server.token)
        self._ratelimit = ratelimit
        self._limits = limits
        self._clock = clock
        self._global = _Window()
        # user key -> window; ordered by last admission so stale users expire from the front.
        self._users: OrderedDict[str, _Window] = OrderedDict()
        self._breaches = Refusals(
            window_s=WINDOW_S, max_addresses=MAX_BREACH_ADDRESSES, clock=clock
        )

    # -- who -------------------------------------------------------------------------

    def client_address(self, request: Request) -> str:
        """The caller's address (X-Forwarded-For only from `server.proxies`)."""
        return client_address(request, self.policy)

    def check_access(self, request: Request) -> str:
        return self.check_caller(Caller.of(request, self.client_address(request)))

    def check_caller(self, caller: Caller) -> str:
        """The caller's address when it may use the API; Forbidden otherwise."""
        # Starlette decodes header bytes as latin-1: encoding back gives the raw bytes
        # ("replace": a str built elsewhere cannot fail here, it only mismatches).
        authorization = caller.authorization.encode("latin-1", "replace")
        return self.policy.admit(caller.address, authorization)

    def breach_to_log(self, address: str) -> int | None:
        # Refusals held back during the last minute are reported with this one.
        return self._breaches.fold(address)

    def tracked(self) -> dict[str, int]:
        """How many callers the limits remember (bounded; for /metrics and tests)."""
        return {"users": len(self._users), "breachAddresses": len(self._breaches)}

    # -- how often -------------------------------------------------------------------

    def check_rate(self, user: str) -> None:
        now = self._clock()
        key = user if len(user) <= MAX_USER_KEY else hashlib.sha256(user.encode()).hexdigest()
        # Users whose whole window has passed hold nothing worth keeping.
        while self._users:
            oldest_key, oldest = next(iter(self._users.items()))
            oldest.expire(now)
            if oldest.stamps:
                break
            del self._users[oldest_key]
        window = self._users.get(key) or _Window()
        user_wait = window.wait(now, self._ratelimit.per_user_requests_per_minute)
        global_wait = self._global.wait(now, self._ratelimit.requests_per_minute)
        wait = max(user_wait, global_wait)
        if wait > 0:
            scope = "per-user" if user_wait >= global_wait else "global"
            retry_after = max(1, math.ceil(wait))
            raise RateLimited(
                f"{scope} rate limit exceeded; retry in {retry_after} s",
                retry_after=retry_after,
                details={"scope": scope, "retryAfter": retry_after},
            )
        # Only admitted requests take a slot, so Retry-After stays true for the refused.
        window.stamps.append(now)
        self._global.stamps.append(now)
        self._users[key] = window
        self._users.move_to_end(key)

    # -- how much --------------------------------------------------------------------

    async def read_body(self, request: Request, limit: int | None = None) -> bytes:
        """The body, refused past `limit` (default limits.max_body_bytes) unread."""
        return await read_body(request, limit or self._limits.max_body_bytes)

    def check_submission(self, code: str, test_cases: list[str]) -> None:
        lim = self._limits
        if "\x00" in code:
            line = count_lines(code[: code.index("\x00")] + "x")
            raise InvalidRequest(
                f"code contains a NUL byte (line {line}); source code must be text",
                details={"line": line},
            )
        size = _utf8_size(code, "code")
        if size > lim.max_code_bytes:
            raise CodeTooLong(
                f"code is {size} bytes, over the limit of {lim.max_code_bytes}",
                details={"limit": lim.max_code_bytes, "bytes": size},
            )
        lines = count_lines(code)
        if lines > lim.max_code_lines:
            raise CodeTooLong(
                f"code has {lines} lines, over the limit of {lim.max_code_lines}",
                details={"limit": lim.max_code_lines, "lines": lines},
            )
        if len(test_cases) > lim.max_test_cases:
            raise TooManyTestCases(
                f"{len(test_cases)} test cases, over the limit of {lim.max_test_cases}",
                details={"limit": lim.max_test_cases},
            )
        for index, test in enumerate(test_cases):
            # len() bounds the UTF-8 size from below (1 byte per character) for free.
            if len(test) > lim.max_input_bytes or (
                len(test) * 4 > lim.max_input_bytes
                and _utf8_size(test, f"testCases[{index}]") > lim.max_input_bytes
            ):
                raise InputTooLarge(
                    f"testCases[{index}] is over the limit of {lim.max_input_bytes} bytes",
                    details={"limit": lim.max_input_bytes, "index": index},
                )


def _utf8_size(text: str, what: str) -> int:
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        # JSON can carry lone surrogates ("\ud800"); they have no UTF-8 form to write.
        raise InvalidRequest(f"{what} is not valid Unicode (lone surrogate)") from None
