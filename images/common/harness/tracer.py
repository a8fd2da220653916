"""CodeRunner's execution tracer (SPEC section 11, POST /trace).

    python3 -B -I /opt/coderunner/harness/trace.py source.py STEPS OUTPUT_BYTES TRACE_BYTES

(the most steps, the program's own stdout cap, the whole trace's cap: past either
cap the trace ends with output_limit, past STEPS with step_limit).

Runs the user's program under sys.settrace, line by line, and writes one JSON
object a line to STDOUT as it goes (the run's stdout is capped by crrun, so
whatever stops the program, what was written so far is a parseable trace):

    {"start": 1}                                   the tracer is running
    {"step": 0, "line": 1, "event": "line", "functionScope": [],
     "localChanges": {}, "globalChanges": {"a": {"type": "number", "value": 1}}}
    {"out": "text"}                                the program's own stdout, in order
    {"end": "completed"|"exception"|"step_limit"|"output_limit", "error": {...}|null}

The program's prints never reach the real stdout: sys.stdout is a capture that
hands its text to the tracer (escaped inside "out" lines), and file descriptor 1
is pointed at stderr, so even a raw os.write(1, ...) cannot forge a line.

Only frames of the user's file are traced (the tracer's and the standard
library's are not).  A step is written when a line has finished, with what that
line created or changed (module-level names are globals); a call step carries
the arguments, a return step the return value, an exception step the exception.
Values follow the SPEC's type table (section 11), capped: strings and str() 200 characters,
50 items, depth 3, at most 500 nodes a value.  The trace function costs the
program's CPU time, so it is kept cheap: unchanged immutable values are skipped
by identity, and nothing is imported that the run does not need.

Only the standard library; Python 3.11 (the image's).
"""

import builtins
import os
import sys

# The C encoder of the json package, without importing the package: its decoder
# compiles regular expressions at import, a start-up cost the program would pay.
from _json import encode_basestring_ascii, make_encoder
from itertools import islice

STR_CAP = 200
ITEMS_CAP = 50
DEPTH_CAP = 3
NODES_CAP = 500
SCOPE_CAP = 50  # functionScope: the outermost 10, a marker, the innermost 39
# Room kept below the byte cap for the final "out" and "end" lines.
RESERVE = 16384

USER_FILE = "source.py"

_NoneType = type(None)
_FunctionType = type(lambda: None)
_ModuleType = type(sys)
_BuiltinType = type(len)
# Immutable values whose rendering cannot change while they stay the same object.
_STABLE = frozenset(
    {
        int,
        float,
        str,
        bool,
        _NoneType,
        bytes,
        complex,
        _FunctionType,
        type,
        _ModuleType,
        _BuiltinType,
        range,
    }
)
_BIG = 1 << 664  # ~200 decimal digits: past it an int is shown as "other"


def _unencodable(obj):
    raise TypeError(f"not JSON: {type(obj).__name__}")


# (markers, default, encoder, indent, key sep, item sep, sort_keys, skipkeys, allow_nan):
# no cycle check (the tracer's own objects have none), ASCII out, no NaN.
_encode = make_encoder(
    None, _unencodable, encode_basestring_ascii, None, ":", ",", False, False, False
)


def _dumps(obj):
    return "".join(_encode(obj, 0))


def _clean(s):
    """A str that encodes as UTF-8 (lone surrogates would break the JSON answer)."""
    if s.isascii():
        return s
    return s.encode("utf-8", "replace").decode("utf-8")


def _string(s, kind):
    n = len(s)
    if n > STR_CAP:
        return {"type": kind, "value": _clean(s[:STR_CAP]), "truncated": True, "length": n}
    return {"type": kind, "value": _clean(s)}


def _str_of(v):
    try:
        s = str(v)
        if type(s) is not str:
            s = str.__str__(s)
    except BaseException:  # a __str__ that raises (or exits) must not end the trace
        try:
            s = f"<unprintable {type(v).__name__} object>"
        except BaseException:
            s = "<unprintable object>"
    return s


def _key(k):
    t = type(k)
    if t is str:
        return _clean(k[:STR_CAP])
    if (t is int and -_BIG < k < _BIG) or t is bool or t is float or k is None:
        return repr(k)
    return _clean(_str_of(k)[:STR_CAP])


def encode(v):
    """One value, per the SPEC's type table, capped."""
    return _enc(v, 1, [NODES_CAP], set())


def _enc(v, depth, left, path):
    left[0] -= 1
    t = type(v)
    if t is int:
        if -_BIG < v < _BIG:
            return {"type": "number", "value": v}
        digits = int(v.bit_length() * 0.30103) + 1
        return {"type": "other", "value": f"<int of about {digits} digits>"}
    if t is str:
        return _string(v, "string")
    if t is bool:
        return {"type": "bool", "value": v}
    if t is float:
        if v - v == 0.0:  # finite (JSON has no NaN or Infinity)
            return {"type": "number", "value": v}
        return {"type": "other", "value": repr(v)}
    if v is None:
        return {"type": "none", "value": None}
    if t is list or t is tuple:
        return _seq(v, v[:ITEMS_CAP], len(v), depth, left, path, "[...]")
    if t is dict:
        return _dict(v, dict.items(v), len(v), depth, left, path)
    if t is set or t is frozenset:
        return _seq(v, list(islice(v, ITEMS_CAP)), len(v), depth, left, path, "{...}")
    # Subclasses: read through the base type's own methods, so that overridden
    # __iter__/__len__/__getitem__ (user code) are not run.
    try:
        if issubclass(t, bool):
            return {"type": "bool", "value": bool(int.__index__(v))}
        if issubclass(t, int):
            i = int.__index__(v)
            if -_BIG < i < _BIG:
                return {"type": "number", "value": i}
        elif issubclass(t, str):
            return _string(str.__str__(v), "string")
        elif issubclass(t, float):
            f = float.__float__(v)
            if f - f == 0.0:
                return {"type": "number", "value": f}
        elif issubclass(t, list):
            return _seq(
                v,
                list.__getitem__(v, slice(0, ITEMS_CAP)),
                list.__len__(v),
                depth,
                left,
                path,
                "[...]",
            )
        elif issubclass(t, tuple):
            return _seq(
                v,
                tuple.__getitem__(v, slice(0, ITEMS_CAP)),
                tuple.__len__(v),
                depth,
                left,
                path,
                "(...)",
            )
        elif issubclass(t, dict):
            return _dict(v, dict.items(v), dict.__len__(v), depth, left, path)
        elif issubclass(t, set):
            return _seq(
                v,
                list(islice(set.__iter__(v), ITEMS_CAP)),
                set.__len__(v),
                depth,
                left,
                path,
                "{...}",
            )
        elif issubclass(t, frozenset):
            return _seq(
                v,
                list(islice(frozenset.__iter__(v), ITEMS_CAP)),
                frozenset.__len__(v),
                depth,
                left,
                path,
                "{...}",
            )
    except Exception:
        pass
    return _string(_str_of(v), "other")


def _seq(v, items, n, depth, left, path, cycle):
    key = id(v)
    if key in path:
        return {"type": "other", "value": cycle}
    if depth >= DEPTH_CAP + 1 or left[0] <= 0:
        return {"type": "array", "value": [], "truncated": True, "length": n}
    path.add(key)
    out = []
    for item in items:
        if left[0] <= 0:
            break
        out.append(_enc(item, depth + 1, left, path))
    path.discard(key)
    if len(out) < n:
        return {"type": "array", "value": out, "truncated": True, "length": n}
    return {"type": "array", "value": out}


def _dict(v, items, n, depth, left, path):
    key = id(v)
    if key in path:
        return {"type": "other", "value": "{...}"}
    if depth >= DEPTH_CAP + 1 or left[0] <= 0:
        return {"type": "object", "value": {}, "truncated": True, "length": n}
    path.add(key)
    out = {}
    for k, item in islice(items, ITEMS_CAP):
        if left[0] <= 0:
            break
        out[_key(k)] = _enc(item, depth + 1, left, path)
    path.discard(key)
    if len(out) < n:
        return {"type": "object", "value": out, "truncated": True, "length": n}
    return {"type": "object", "value": out}


def _shown(name):
    # Module dunders (__name__, __builtins__ ...) and comprehension iterators (.0).
    return not ((name[:2] == "__" and name[-2:] == "__") or name[:1] == ".")


_hidden = set()  # names never shown, seen before (skipped without a look)


def diff(snap, namespace):
    """What changed in `namespace` since `snap` (name -> (object, encoding)),
    which is brought up to date.  Deleted names leave the snapshot silently."""
    changes = {}
    seen = 0
    for name, v in list(namespace.items()):
        old = snap.get(name)
        if old is not None and old[0] is v and type(v) in _STABLE:
            seen += 1
            continue
        if name in _hidden:
            continue
        if type(name) is not str or not _shown(name):
            if type(name) is str:
                _hidden.add(name)
            continue
        seen += 1
        e = encode(v)
        if old is None or old[1] != e:
            changes[name] = e
        snap[name] = (v, e)
    if seen != len(snap):
        for name in [n for n in snap if n not in namespace]:
            del snap[name]
    return changes


class Tracer:
    def __init__(self, fd, max_steps, max_output, max_bytes):
        self.fd = fd
        self.max_steps = max_steps
        self.max_output = max_output
        self.max_bytes = max_bytes
        self.written = 0
        self.steps = 0
        self.scope = []
        self.globals_snap = {}
        self.globals = None
        self.module_code = None
        self.out = []
        self.out_len = 0
        self.out_total = 0
        self.finished = False

    # ---- writing -------------------------------------------------------------

    def write(self, obj):
        self.send((_dumps(obj) + "\n").encode("ascii"))

    def send(self, data):
        self.written += len(data)
        view = memoryview(data)
        while view:
            try:
                n = os.write(self.fd, view)
            except InterruptedError:
                continue
            except OSError:
                # crrun closed our stdout (output cap): nothing more can be said.
                os._exit(0)
            view = view[n:]

    def flush_out(self):
        if self.out:
            text = "".join(self.out)
            self.out = []
            self.out_len = 0
            self.write({"out": _clean(text)})

    def program_output(self, text):
        if self.finished:
            return
        room = self.max_output - self.out_total
        self.out_total += len(text)
        if len(text) > room:
            self.out.append(text[: max(room, 0)])
            self.finish("output_limit")
        self.out.append(text)
        self.out_len += len(text)
        if self.out_len >= 8192:
            self.flush_out()

    def finish(self, reason, error=None):
        """Write the last lines and end the process (from anywhere, also from
        inside the trace function)."""
        sys.settrace(None)
        self.finished = True
        try:
            self.flush_out()
            self.write({"end": reason, "error": error})
            sys.stderr.flush()
        finally:
            os._exit(0)

    def emit(self, line, event, local, glob, extra=None):
        if self.steps >= self.max_steps:
            self.finish("step_limit")
        self.flush_out()
        scope = self.scope
        if len(scope) > SCOPE_CAP:
            scope = [*scope[:10], f"... {len(scope) - 49} more ...", *scope[-39:]]
        step = {
            "step": self.steps,
            "line": line,
            "event": event,
            "functionScope": scope,
            "localChanges": local,
            "globalChanges": glob,
        }
        if extra:
            step.update(extra)
        data = (_dumps(step) + "\n").encode("ascii")
        if self.written + len(data) > self.max_bytes - RESERVE:
            self.finish("output_limit")
        self.steps += 1
        self.send(data)

    # ---- sys.settrace --------------------------------------------------------

    def global_trace(self, frame, event, arg):
        """'call' events: every new frame; only the user's file is followed."""
        code = frame.f_code
        if code.co_filename != USER_FILE:
            return None
        depth = len(self.scope)
        try:
            if code is self.module_code:
                return FrameState(self, frame, True).trace_fn
            state = getattr(frame.f_trace, "__self__", None)
            if type(state) is not FrameState:  # a resumed generator keeps its state
                state = FrameState(self, frame, False)
            self.scope.append(code.co_name)
            state.pending = None
            state.unwinding = False
            changes = diff(state.snap, frame.f_locals)
            self.emit(frame.f_lineno, "call", changes, diff(self.globals_snap, self.globals))
            return state.trace_fn
        except BaseException as exc:  # never let a tracer fault reach the program
            # The frame goes untraced (no 'return' event will pop it).
            del self.scope[depth:]
            if not isinstance(exc, RecursionError):
                self.note(exc)
            return None

    def note(self, exc):
        try:  # noqa: SIM105  (contextlib: an import the program would pay for)
            self.write({"warn": _clean((f"{type(exc).__name__}: {exc}")[:300])})
        except Exception:
            pass


class FrameState:
    __slots__ = ("module", "pending", "snap", "trace_fn", "tracer", "unwinding")

    def __init__(self, tracer, frame, module):
        self.tracer = tracer
        self.module = module
        self.snap = {}
        self.pending = None  # the line being executed (its step is written when it ends)
        self.unwinding = False  # an exception left the frame's last line
        self.trace_fn = self.trace  # one bound method, not one per event

    def trace(self, frame, event, arg):
        tracer = self.tracer
        try:
            if event == "line":
                if self.pending is not None:
                    self.step(frame, "line", self.pending)
                self.pending = frame.f_lineno
                self.unwinding = False
            elif event == "return":
                if self.module:
                    if self.pending is not None and not self.unwinding:
                        self.step(frame, "line", self.pending)
                    return None
                if not self.unwinding:
                    self.step(frame, "return", frame.f_lineno, {"returnValue": encode(arg)})
                self.pending = None
                if tracer.scope:
                    tracer.scope.pop()
            elif event == "exception":
                text = f"{arg[0].__name__}: {_str_of(arg[1])}"
                self.step(
                    frame, "exception", frame.f_lineno, {"exception": _clean(text[: STR_CAP * 2])}
                )
                self.pending = None
                self.unwinding = True
        except RecursionError:
            pass
        except Exception as exc:
            tracer.note(exc)
        return self.trace_fn

    def step(self, frame, event, line, extra=None):
        tracer = self.tracer
        local = {} if self.module else diff(self.snap, frame.f_locals)
        tracer.emit(line, event, local, diff(tracer.globals_snap, tracer.globals), extra)


class Capture:
    """sys.stdout for the program: text goes to the tracer, never to fd 1."""

    encoding = "utf-8"
    errors = "strict"
    newlines = None
    closed = False

    def __init__(self, tracer):
        self._tracer = tracer
        self.buffer = _BinaryCapture(self)

    def write(self, s):
        if type(s) is not str:
            if not isinstance(s, str):
                raise TypeError(f"write() argument must be str, not {type(s).__name__}")
            s = str.__str__(s)
        self._tracer.program_output(s)
        return len(s)

    def writelines(self, lines):
        for s in lines:
            self.write(s)

    def flush(self):
        pass

    def close(self):  # the trace goes on; later prints are still the program's output
        pass

    def isatty(self):
        return False

    def writable(self):
        return True

    def readable(self):
        return False

    def seekable(self):
        return False

    def fileno(self):
        import io

        raise io.UnsupportedOperation("the traced program's stdout has no file descriptor")


class _BinaryCapture:
    def __init__(self, text):
        self._text = text

    def write(self, b):
        data = bytes(b)
        self._text.write(data.decode("utf-8", "replace"))
        return len(data)

    def flush(self):
        pass


def _error(exc):
    """The end line's error and the traceback the program would have printed."""
    import traceback

    tb = exc.__traceback__
    line = None
    while tb is not None:  # innermost frame of the user's file
        if tb.tb_frame.f_code.co_filename == USER_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    if isinstance(exc, SyntaxError) and exc.filename == USER_FILE:
        line = exc.lineno
    te = traceback.TracebackException.from_exception(exc, limit=-200)
    te.stack = traceback.StackSummary.from_list([f for f in te.stack if f.filename == USER_FILE])
    try:  # noqa: SIM105
        sys.stderr.write("".join(te.format()))
    except Exception:
        pass
    message = _str_of(exc)
    return {"type": type(exc).__name__, "message": _clean(message[:1000]), "line": line}


def main(argv):
    source_path = argv[1]
    max_steps, max_output, max_bytes = (int(a) for a in argv[2:5])
    with open(source_path, "rb") as f:
        source = f.read()
    proto = os.dup(1)
    os.dup2(2, 1)  # raw writes to fd 1 (os.write, C extensions) land in stderr
    tracer = Tracer(proto, max_steps, max_output, max_bytes)
    tracer.write({"start": 1})
    # sys.__stdout__ too: a program that "restores" stdout stays captured.
    sys.stdout = sys.__stdout__ = Capture(tracer)
    sys.argv = [USER_FILE]
    module = _ModuleType("__main__")
    module.__file__ = USER_FILE
    module.__builtins__ = builtins
    own = sys.modules["__main__"]  # noqa: F841 keeps the tracer's module alive
    sys.modules["__main__"] = module
    tracer.globals = module.__dict__
    try:
        code = compile(source, USER_FILE, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        tracer.finish("exception", _error(exc))
    tracer.module_code = code
    try:
        sys.settrace(tracer.global_trace)
        exec(code, module.__dict__)
    except SystemExit as exc:
        sys.settrace(None)
        if exc.code not in (None, 0) and not isinstance(exc.code, int):
            sys.stderr.write(f"{exc.code}\n")
        tracer.finish("completed")
    except BaseException as exc:
        sys.settrace(None)
        tracer.finish("exception", _error(exc))
    sys.settrace(None)
    tracer.finish("completed")


if __name__ == "__main__":
    main(sys.argv)
