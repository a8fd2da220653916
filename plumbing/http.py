"""The HTTP edge both servers share: who the client is (trusted-client middleware),
how much of a body is read (capped reader), and how requests are counted (bounded
path labels for the metrics)."""

from __future__ import annotations

import hmac
import ipaddress
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

from prometheus_client import Counter
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection, Request
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import Forbidden, InvalidRequest, PayloadTooLarge, render

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Where the middleware leaves the client's address for the endpoints.
CLIENT_KEY = "client_address"
_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
_DIGITS = re.compile(r"[0-9]+")


# -- addresses -----------------------------------------------------------------------


def parse_address(text: str) -> Address | None:
    """An IP address from a peer or X-Forwarded-For entry; None when not an IP.

    Accepts `[v6]:port` and `v4:port` forms some proxies write; unwraps IPv4-mapped
    IPv6 (`::ffff:10.0.0.1` is 10.0.0.1: a dual-stack socket reports IPv4 peers so)
    and drops an IPv6 zone (`fe80::1%eth0`): a zone names the local interface, never
    another host, and would keep the address out of every configured network.
    """
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else text[1:]
    elif text.count(":") == 1:  # IPv4 with a port; a bare IPv6 has at least two colons
        text = text.split(":", 1)[0]
    text = text.split("%", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def parse_network(text: str) -> Network:
    """A configured address or CIDR range; `::ffff:10.0.0.0/104` is the IPv4 range
    (addresses are unwrapped the same way)."""
    network = ipaddress.ip_network(text.split("%", 1)[0], strict=False)
    if (
        isinstance(network, ipaddress.IPv6Network)
        and network.prefixlen >= 96
        and network.subnet_of(_MAPPED)
    ):
        first = network.network_address.ipv4_mapped
        assert first is not None  # inside ::ffff:0:0/96
        return ipaddress.ip_network(f"{first}/{network.prefixlen - 96}")
    return network


def within(address: Address | None, networks: Iterable[Network]) -> bool:
    if address is None:
        return False
    return any(address.version == net.version and address in net for net in networks)


def is_loopback(address: str) -> bool:
    parsed = parse_address(address)
    return parsed is not None and parsed.is_loopback


def _shown(address: Address | None, raw: str) -> str:
    # Not an address: kept (short) for the logs; it is never trusted.
    return str(address) if address is not None else raw[:64]


@dataclass(frozen=True)
class ClientPolicy:
    """Who the client is and whether it may call: `trusted` networks, the reverse
    `proxies` whose X-Forwarded-For is believed, and the bearer `token` (empty: none).
    `setting` names the config section in refusal messages."""

    trusted: tuple[Network, ...]
    proxies: tuple[Network, ...] = ()
    token: bytes = b""
    setting: str = "server"

    @classmethod
    def from_config(
        cls,
        trusted: Sequence[str],
        proxies: Sequence[str] = (),
        token: str = "",
        setting: str = "server",
    ) -> ClientPolicy:
        return cls(
            tuple(parse_network(item) for item in trusted),
            tuple(parse_network(item) for item in proxies),
            token.encode(),
            setting,
        )

    def address(self, scope: Scope) -> str:
        """The client's address: the peer's, unless the peer is one of our proxies;
        then the right-most X-Forwarded-For hop that is not one of them."""
        peer = (scope.get("client") or ("", 0))[0]
        parsed = parse_address(peer)
        if not within(parsed, self.proxies):
            return _shown(parsed, peer)
        hops = [
            hop.strip()
            for name, value in scope.get("headers", [])
            if name == b"x-forwarded-for"
            for hop in value.decode("latin-1").split(",")
            if hop.strip()
        ]
        # Only the right end of the chain is written by proxies we trust; everything to
        # the left of the first untrusted hop may be forged by the client.
        for hop in reversed(hops):
            address = parse_address(hop)
            if not within(address, self.proxies):
                return _shown(address, hop)
        if hops:  # every hop is one of our proxies: the left-most is the origin
            return _shown(parse_address(hops[0]), hops[0])
        return _shown(parsed, peer)

    def authorized(self, authorization: bytes) -> bool:
        """Whether an Authorization header value (raw bytes) carries the token."""
        if not self.token:
            return True
        scheme, _, given = authorization.partition(b" ")
        # Bytes on both sides: compare_digest is constant time whatever the content
        # (and refuses non-ASCII str, which would be a 500).
        return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self.token)

    def admit(self, address: str, authorization: bytes = b"") -> str:
        """`address` if it may call with this Authorization value, else Forbidden."""
        if not within(parse_address(address), self.trusted):
            raise Forbidden(f"client {address} is not in {self.setting}.trusted_hosts")
        if not self.authorized(authorization):
            raise Forbidden(f"missing or wrong bearer token ({self.setting}.token)")
        return address

    def check(self, scope: Scope, address: str | None = None) -> str:
        """The client's address if the request may be served, else Forbidden."""
        authorization = next(
            (value for name, value in scope.get("headers", []) if name == b"authorization"), b""
        )
        return self.admit(address if address is not None else self.address(scope), authorization)


class Refusals:
    """Folds refusals per address: `fold(address)` is the number to report now (this
    one plus those held back during the last `window_s`), or None to stay quiet. At
    most `max_addresses` are remembered (a flood of distinct callers must not grow
    the process without limit)."""

    def __init__(
        self,
        *,
        window_s: float = 60.0,
        max_addresses: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window_s = window_s
        self.max_addresses = max_addresses
        self._clock = clock
        self._seen: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def fold(self, address: str) -> int | None:
        now = self._clock()
        entry = self._seen.pop(address, None)
        if entry is not None and now - entry[0] < self.window_s:
            self._seen[address] = (entry[0], entry[1] + 1)
            return None
        self._seen[address] = (now, 0)
        while len(self._seen) > self.max_addresses:
            self._seen.popitem(last=False)
        return 1 + (entry[1] if entry is not None else 0)


OnRefusal = Callable[[Scope, str, Forbidden], Awaitable[None]]


class TrustedClientMiddleware:
    """Resolves the client's address once per request (`client_address(request)`).

    With `enforce`, refuses every request the policy does not admit (403, rendered
    like any error) after telling `on_refusal(scope, address, error)`; without it,
    the endpoints decide (coderunner lets anyone read /health when so configured).
    """

    def __init__(
        self,
        app: ASGIApp,
        policy: ClientPolicy,
        *,
        enforce: bool = False,
        on_refusal: OnRefusal | None = None,
    ) -> None:
        self.app = app
        self.policy = policy
        self.enforce = enforce
        self.on_refusal = on_refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        address = self.policy.address(scope)
        scope.setdefault("state", {})[CLIENT_KEY] = address
        if self.enforce:
            try:
                self.policy.check(scope, address)
            except Forbidden as refusal:
                if self.on_refusal is not None:
                    await self.on_refusal(scope, address, refusal)
                await render(refusal)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def edge(
    counter: Counter,
    label: Callable[[str], str],
    policy: ClientPolicy,
    *,
    enforce: bool = False,
    on_refusal: OnRefusal | None = None,
) -> list[Middleware]:
    """Both apps' middleware, in one order: count every response first (outermost,
    so that refusals are counted too), then resolve (and maybe enforce) the client."""
    return [
        Middleware(CountRequests, counter=counter, label=label),
        Middleware(TrustedClientMiddleware, policy=policy, enforce=enforce, on_refusal=on_refusal),
    ]


def client_address(connection: HTTPConnection, policy: ClientPolicy | None = None) -> str:
    """The address the middleware resolved; without the middleware (a bare app in a
    test), resolved here by `policy`, or the peer's address."""
    state = connection.scope.get("state") or {}
    if CLIENT_KEY in state:
        return str(state[CLIENT_KEY])
    if policy is not None:
        return policy.address(connection.scope)
    peer = connection.client.host if connection.client else ""
    return _shown(parse_address(peer), peer)


# -- bodies --------------------------------------------------------------------------


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused (413 payload_too_large) as soon as it is known to be over
    `limit`: by its Content-Length before reading, else while streaming; never
    buffered whole."""
    declared = request.headers.get("content-length")
    if declared is not None:
        declared = declared.strip()
        if not _DIGITS.fullmatch(declared):
            raise InvalidRequest("Content-Length is not a number")
        # Length first: int() refuses strings of thousands of digits.
        if len(declared) > len(str(limit)) or int(declared) > limit:
            raise PayloadTooLarge(
                f"request body is {declared[:24]} bytes, over the limit of {limit}",
                details={"limit": limit},
            )
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise PayloadTooLarge(
                f"request body is over the limit of {limit} bytes", details={"limit": limit}
            )
        chunks.append(chunk)
    body = b"".join(chunks)
    # Starlette caches the body here; later request.body()/json() then work.
    request._body = body
    return body


# -- metrics -------------------------------------------------------------------------


def path_labels(
    routes: Iterable[BaseRoute], names: dict[str, str] | None = None
) -> Callable[[str], str]:
    """A request path -> its route's template (`/tasks/{id}`), else "other": a
    scanner probing random URLs must not create one time series per URL. `names`
    renames path parameters for the label (`task_id` -> `id`, as the SPEC writes them)."""
    renames = names or {}
    table: list[tuple[re.Pattern[str], str]] = []
    for route in routes:
        if isinstance(route, Route):
            text = re.sub(
                r"{(\w+)(:\w+)?}", lambda m: "{" + renames.get(m[1], m[1]) + "}", route.path
            )
            table.append((route.path_regex, text))

    def label(path: str) -> str:
        return next((text for regex, text in table if regex.match(path)), "other")

    return label


class CountRequests:
    """Counts every response in `counter` by (path label, status code); wraps the
    whole app, so refusals by outer checks count too."""

    def __init__(self, app: ASGIApp, counter: Counter, label: Callable[[str], str]) -> None:
        self.app = app
        self.counter = counter
        self.label = label

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        path = self.label(scope["path"])
        started = False

        async def counting_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                self.counter.labels(path, str(message["status"])).inc()
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        except Exception:
            # Unhandled: Starlette's outermost middleware answers 500 after us.
            if not started:
                self.counter.labels(path, "500").inc()
            raise
