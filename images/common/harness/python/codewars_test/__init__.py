"""CodeRunner's codewars_test: the names of Codewars' Python test framework, so that
kata tests run unchanged, reporting on the line protocol of SPEC section 9.

The protocol goes to a private descriptor (a copy of the run's stdout made by
runner.py before any user code ran); the user's prints land in a capture file on
fd 1 and travel inside the protocol, escaped, as the test's output.
"""

from __future__ import annotations

import os
import sys
from timeit import default_timer as _timer
from traceback import format_exception

__all__ = [
    "AssertException",
    "assert_approx_equals",
    "assert_equals",
    "assert_not_equals",
    "describe",
    "expect",
    "expect_error",
    "expect_no_error",
    "fail",
    "it",
    "pass_",
    "timeout",
]

_OUTPUT_CAP = 4096
_proto_fd: int | None = None
_capture_fd: int | None = None


class AssertException(Exception):
    pass


def _setup(proto_fd: int, capture_fd: int) -> None:
    global _proto_fd, _capture_fd
    _proto_fd, _capture_fd = proto_fd, capture_fd


def _escape(text: str) -> str:
    return text.replace("\n", "<:LF:>")


def _write(line: str) -> None:
    data = (line + "\n").encode("utf-8", "replace")
    if _proto_fd is None:  # imported outside the runner: plain stdout
        sys.__stdout__.write(line + "\n")
        return
    while data:
        data = data[os.write(_proto_fd, data) :]


def _drain() -> None:
    """What the program printed since the last drain, as OUTPUT lines."""
    for stream in (sys.stdout, sys.__stdout__):
        try:  # noqa: SIM105  (the user may have replaced or closed the stream)
            stream.flush()
        except Exception:
            pass
    if _capture_fd is None:
        return
    data = os.pread(_capture_fd, _OUTPUT_CAP + 1, 0)
    os.ftruncate(_capture_fd, 0)
    if not data:
        return
    text = data[:_OUTPUT_CAP].decode("utf-8", "replace")
    if len(data) > _OUTPUT_CAP:
        text += "\n[output truncated]\n"
    _write("<OUTPUT::>" + _escape(text))


def display(type: str, message: str, label: str = "", mode: str = "") -> None:
    _write(f"<{type.upper()}:{mode.upper()}:{label}>{_escape(str(message))}")


def expect(passed=None, message=None, allow_raise=False):
    if passed:
        display("PASSED", "Test Passed")
    else:
        message = message or "Value is not what was expected"
        display("FAILED", message)
        if allow_raise:
            raise AssertException(message)


def _with(message, detail):
    return detail if message is None else f"{message}: {detail}"


def assert_equals(actual, expected, message=None, allow_raise=False):
    detail = f"{actual!r} should equal {expected!r}"
    expect(actual == expected, _with(message, detail), allow_raise)


def assert_not_equals(actual, expected, message=None, allow_raise=False):
    detail = f"{actual!r} should not equal {expected!r}"
    # not (a == b), as Codewars: a class may define __eq__ only.
    expect(not (actual == expected), _with(message, detail), allow_raise)  # noqa: SIM201


def assert_approx_equals(actual, expected, margin=1e-9, message=None, allow_raise=False):
    detail = (
        f"{actual!r} should be close to {expected!r} with absolute or relative margin of {margin!r}"
    )
    div = max(abs(actual), abs(expected), 1)
    expect(abs((actual - expected) / div) < margin, _with(message, detail), allow_raise)


def expect_error(message, function, exception=Exception):
    passed = False
    try:
        function()
    except exception:
        passed = True
    except Exception as e:
        message = "{}: {!r} should be {!r}".format(message or "Unexpected exception", e, exception)
    expect(passed, message)


def expect_no_error(message, function, exception=BaseException):
    try:
        function()
    except exception as e:
        fail("{}: {!r}".format(message or "Unexpected exception", e))
        return
    except Exception:
        pass
    pass_()


def pass_():
    expect(True)


def fail(message):
    expect(False, message)


def _block(opening: str):
    def decorator(title, before=None, after=None):
        # Unlike Codewars' framework the opening line is written when the block
        # runs, not when describe()/it() is called: an undecorated old-style call
        # then opens nothing that is never closed.
        def wrapper(func):
            _drain()  # printed before the block: not the block's output
            display(opening, title)
            if callable(before):
                before()
            start = _timer()
            try:
                func()
            except AssertionError as e:
                display("FAILED", str(e) or "AssertionError")
            except Exception as e:
                # The traceback starts at the test's code, not in this wrapper.
                tb = e.__traceback__.tb_next if e.__traceback__ else None
                display("ERROR", "".join(format_exception(type(e), e, tb)))
            _drain()
            display("COMPLETEDIN", f"{(_timer() - start) * 1000:.2f}")
            if callable(after):
                after()
            return func

        return wrapper

    return decorator


describe = _block("DESCRIBE")
it = _block("IT")


def timeout(sec, user_msg=""):
    """Fails (and stops) the decorated block once it has run `sec` seconds."""
    import signal

    class _Timeout(BaseException):
        pass

    def wrapper(func):
        def alarm(signum, frame):
            raise _Timeout()

        previous = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, sec)
        try:
            func()
        except _Timeout:
            msg = f"Exceeded time limit of {sec:.3f} seconds"
            fail(msg + (": " + user_msg if user_msg else ""))
        except Exception as e:
            fail(f"Should not throw any exceptions inside timeout: {e!r}")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return func

    return wrapper
