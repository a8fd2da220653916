"""The `python-ast` sanitizer pass: sees through strings assembled at run time.

Regex rules see `__import__(` but not that `__import__('o'+'s')` imports `os`, nor
that `getattr(os, 'sys'+'tem')` is `os.system`. This pass parses the code, folds
constant string expressions (concatenation, f-strings, join, chr, slicing, base64,
hex, rot13, simple module-level variables) and reports:

- a string built at run time that spells a dangerous name (or holds dangerous code);
- `__import__` / `importlib.import_module` of a dangerous or computed module name;
- `getattr`/`setattr`… on the builtins, or fetching a dangerous attribute by name;
- `eval` / `exec` / `compile` of a constant (scanned as code) or of a built string;
- `globals()[…]`, `vars(…)[…]`, `__dict__[…]`, `sys.modules[…]` lookups of such names.

The language specifics (which names are dangerous, which words make the parse worth
its cost, the levels) come from the `[[pass]]` table in images/python/rules.toml.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import Any

from .model import Source, Violation
from .passes import PassFn
from .pyfold import Folder, TooDeep, is_string_op

_KEYS = {"kind", "level", "dynamic_level", "names", "triggers"}
_NAME = re.compile(r"[A-Za-z_][\w.]*")
# The start of a top-level statement: a line starting at column 0 that is not blank,
# a comment, a closing bracket, or the `else:`/`except`… of the statement above.
_TOP = re.compile(r"^(?![\s#)\]}]|(?:else|elif|except|finally)\b)", re.MULTILINE)
_ASSIGN = re.compile(r"[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*(?::[^=\n]*)?=(?!=)")


def make_pass(entry: dict[str, Any], where: str, error: type[Exception]) -> PassFn:
    if set(entry) - _KEYS:
        raise error(f"{where}: unknown key(s) {sorted(set(entry) - _KEYS)}")
    level, dynamic = entry.get("level", 3), entry.get("dynamic_level", 2)
    for key, value in (("level", level), ("dynamic_level", dynamic)):
        if type(value) is not int or not 0 <= value <= 3:
            raise error(f"{where}: {key!r} must be 0..3, got {value!r}")

    def strings(key: str) -> list[str]:
        value = entry.get(key)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v for v in value)
        ):
            raise error(f"{where}: {key!r} must be a non-empty list of strings")
        return value

    dangerous, words = frozenset(strings("names")), tuple(strings("triggers"))

    def run(src: Source, rescan: Callable[[str], list[Violation]]) -> list[Violation]:
        # Parsing costs ~5 µs a line: only when a word that the checks need is present,
        # and only the top-level statements holding one (plus top-level assignments,
        # for the variables they define); other lines are blanked, keeping line numbers.
        hits = sorted(at for word in words for at in _find_all(src.text, word))
        if not hits:
            return []
        for text in (_reduce(src.text, hits), src.text):
            try:
                tree = ast.parse(text)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                continue  # a reduction that broke the syntax: parse everything
            return _Checker(src, rescan, dangerous, level, dynamic).run(tree)
        return []  # the interpreter will say so; the regex rules still apply

    return run


def _find_all(text: str, word: str) -> Iterator[int]:
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _reduce(text: str, hits: list[int]) -> str:
    """The source with every top-level statement blanked (line breaks kept) unless it
    holds a hit (an offset) or is a top-level assignment involving a string."""
    starts = [m.start() for m in _TOP.finditer(text)]
    # The `def` under a decorator continues the decorator's statement.
    starts = [a for i, a in enumerate(starts) if i == 0 or text[starts[i - 1]] != "@"]
    out = [_blank(text, 0, starts[0] if starts else len(text))]
    for a, b in zip(starts, [*starts[1:], len(text)], strict=True):
        hit = bisect_left(hits, a) < len(hits) and hits[bisect_left(hits, a)] < b
        chunk = text[a:b]
        assigns = _ASSIGN.match(chunk) is not None and ("'" in chunk or '"' in chunk)
        out.append(chunk if hit or assigns else _blank(text, a, b))
    return "".join(out)


def _blank(text: str, a: int, b: int) -> str:
    return "\n" * text.count("\n", a, b)


class _Checker:
    def __init__(
        self,
        src: Source,
        rescan: Callable[[str], list[Violation]],
        names: frozenset[str],
        level: int,
        dynamic: int,
    ) -> None:
        self.src, self.rescan, self.names = src, rescan, names
        self.level, self.dynamic = level, dynamic
        self.folder = Folder()
        self.fold = self.folder.fold
        self.found: list[Violation] = []

    def run(self, tree: ast.AST) -> list[Violation]:
        # One pre-order walk in source order: an assignment is seen before later uses.
        # Iterative, and folding is depth-limited: `'a'+'a'+…` thousands deep is cheap.
        stack: list[tuple[ast.AST, bool]] = [(tree, True)]
        while stack:
            node, may_fold = stack.pop()
            if may_fold and isinstance(node, ast.Assign | ast.AnnAssign):
                self.folder.bind(node)
            if may_fold and is_string_op(node):
                try:
                    folded = self.fold(node, strict=True)
                except TooDeep:
                    may_fold = False  # its sub-expressions are as deep: check, don't fold
                else:
                    if folded is not None:
                        self._spelled(node, folded[0])
                        continue  # its children are the pieces just folded
            if isinstance(node, ast.Call):
                self._call(node)
            elif isinstance(node, ast.Subscript):
                self._lookup(node)
            children = list(ast.iter_child_nodes(node))
            stack.extend((child, may_fold) for child in reversed(children))
        return self.found

    def report(self, node: ast.AST, level: int, comment: str) -> None:
        line = getattr(node, "lineno", 1)
        self.found.append(Violation(line, level, self.src.line_text(line), comment))

    def dangerous(self, value: Any) -> bool:
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if not isinstance(value, str) or not _NAME.fullmatch(value.strip()):
            return False
        return any(part in self.names for part in value.strip().split("."))

    # -- checks ------------------------------------------------------------------------

    def _spelled(self, node: ast.AST, value: Any) -> None:
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if not isinstance(value, str):
            return
        if self.dangerous(value):
            self.report(node, self.level, f"string built at run time spells {value.strip()!r}")
            return
        inner = [v for v in self.rescan(value) if v.dangerLevel >= 2] if "(" in value else []
        if inner:
            worst = max(inner, key=lambda v: v.dangerLevel)
            self.report(node, self.level, f"string built at run time holds code: {worst.comment}")

    def _call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        args = node.args
        if name in ("__import__", "import_module") and args:
            folded = self.fold(args[0])
            if folded is None:
                self.report(node, self.dynamic, "imports a module whose name is computed")
            elif self.dangerous(folded[0]):
                self.report(node, self.level, f"imports {folded[0]!r} by name at run time")
            elif folded[1]:
                self.report(node, self.dynamic, "imports a module whose name is assembled")
        elif name in ("getattr", "setattr", "delattr", "hasattr", "attrgetter") and args:
            target = args[0] if name != "attrgetter" else None
            attr = self.fold(args[1] if target is not None and len(args) > 1 else args[0])
            if target is not None and _is_builtins(target):
                self.report(node, self.level, f"{name}() reaches into the builtins")
            elif attr is not None and self.dangerous(attr[0]):
                self.report(node, self.level, f"{name}() fetches {attr[0]!r} by name")
            elif attr is None and isinstance(target, ast.Name) and target.id in self.names:
                self.report(node, self.dynamic, f"{name}() on {target.id} with a computed name")
        elif name in ("eval", "exec", "compile") and isinstance(func, ast.Name) and args:
            self._evaluated(node, name, args[0])

    def _evaluated(self, node: ast.Call, name: str, arg: ast.expr) -> None:
        folded = self.fold(arg)
        if folded is None:
            if is_string_op(arg):
                self.report(node, self.dynamic, f"{name}() runs a string assembled at run time")
            return
        value = folded[0].decode("latin-1") if isinstance(folded[0], bytes) else folded[0]
        inner = self.rescan(value) if isinstance(value, str) else []
        worst = max(inner, key=lambda v: v.dangerLevel, default=None)
        level = max(worst.dangerLevel if worst else 0, self.dynamic if folded[1] else 0)
        if worst is not None:
            self.report(node, level, f"{name}() runs code that: {worst.comment}")
        elif folded[1]:
            self.report(node, level, f"{name}() runs a string assembled at run time")

    def _lookup(self, node: ast.Subscript) -> None:
        box = node.value
        namespace = _is_builtins(box) or (
            isinstance(box, ast.Attribute) and box.attr in ("__dict__", "modules")
        )
        if not namespace:
            return
        key = self.fold(node.slice)
        if key is not None and self.dangerous(key[0]):
            self.report(node, self.level, f"looks up {key[0]!r} by name")
        elif key is None and is_string_op(node.slice):
            self.report(node, self.dynamic, "looks up a name assembled at run time")


def _is_builtins(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return node.id in ("__builtins__", "builtins", "__builtin__")
    if isinstance(node, ast.Attribute):
        return node.attr == "__builtins__"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in ("globals", "locals", "vars") and not node.args
    return False
