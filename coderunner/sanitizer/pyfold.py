"""Constant folding of Python expressions, for the `python-ast` sanitizer pass.

`Folder.fold(node)` gives the value an expression would have if it only combines
literals (and names bound to such values): concatenation, repetition, `%` and
`format`, f-strings, `join`, `chr`, `map(chr, …)`, slicing, `replace`, case changes,
base64/hex/rot13 decoding. Every step is bounded — string length, expression depth,
integer size, format widths — so hostile code cannot make folding slow or large.
"""

from __future__ import annotations

import ast
import base64
import codecs
import re
from typing import Any

MAX_FOLD = 4096  # longest string folded: `'a' * 10**9` must not cost memory
MAX_DEPTH = 64  # deepest expression folded
DECODERS = {"b64decode", "urlsafe_b64decode", "b32decode", "b16decode", "a85decode", "b85decode"}
_STR_METHODS = {"lower", "upper", "strip", "lstrip", "rstrip", "swapcase", "title", "casefold"}
_SAFE_CODECS = {"rot13", "rot_13", "hex", "base64", "utf-8", "utf8", "ascii", "latin-1"}
# A format template that pads to a width of thousands would allocate before any check.
_WIDE_FORMAT = re.compile(r"\d{4,}|\*")
Folded = tuple[Any, bool]  # (value, built at run time rather than written as one literal)


class TooDeep(Exception):
    """The expression is nested deeper than MAX_DEPTH."""


class Folder:
    def __init__(self) -> None:
        self.env: dict[str, Folded] = {}  # names bound to foldable values so far
        self.depth = 0

    def bind(self, node: ast.Assign | ast.AnnAssign) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                folded = self.fold(node.value) if node.value is not None else None
                if folded is None:
                    self.env.pop(target.id, None)  # rebound to something unknown
                else:
                    self.env[target.id] = folded

    def fold(self, node: ast.AST, *, strict: bool = False) -> Folded | None:
        """The constant value of `node`, or None; `strict` raises TooDeep when too deep."""
        try:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise TooDeep
            folded = self._fold(node)
        except (ValueError, TypeError, LookupError, OverflowError):
            return None
        except TooDeep:
            if strict or self.depth > 1:  # unwind to the outermost fold
                raise
            return None
        finally:
            self.depth -= 1
        value = folded[0] if folded is not None else None
        too_long = isinstance(value, str | bytes | list) and len(value) > MAX_FOLD
        return None if too_long else folded

    def _fold(self, node: ast.AST) -> Folded | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes | int):
            return node.value, False
        if isinstance(node, ast.Name):
            return self.env.get(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            operand = self.fold(node.operand)
            return (-operand[0], operand[1]) if operand and type(operand[0]) is int else None
        if isinstance(node, ast.List | ast.Tuple):
            parts = [self.fold(e) for e in node.elts]
            known = [p for p in parts if p is not None]
            if len(known) < len(parts):
                return None
            return [p[0] for p in known], any(p[1] for p in known)
        if isinstance(node, ast.JoinedStr):
            pieces = [
                self.fold(v.value if isinstance(v, ast.FormattedValue) else v) for v in node.values
            ]
            strs = [p for p in pieces if p is not None and not isinstance(p[0], list)]
            if len(strs) < len(pieces):
                return None
            return "".join(str(p[0]) for p in strs), True
        if isinstance(node, ast.BinOp):
            left, right = self.fold(node.left), self.fold(node.right)
            if left is None or right is None:
                return None
            return _binop(node.op, left[0], right[0]), True
        if isinstance(node, ast.Subscript):
            box, index = self.fold(node.value), node.slice
            if box is None:
                return None
            if isinstance(index, ast.Slice):
                bounds: list[Any] = []
                for b in (index.lower, index.upper, index.step):
                    bound = self.fold(b) if b is not None else (None, False)
                    if bound is None:
                        return None
                    bounds.append(bound[0])
                return box[0][slice(*bounds)], True
            key = self.fold(index)
            return (box[0][key[0]], True) if key is not None else None
        if isinstance(node, ast.Call):
            return self._fold_call(node)
        return None

    def _fold_call(self, node: ast.Call) -> Folded | None:
        func = node.func
        if name_of(func) == "map" and len(node.args) == 2 and name_of(node.args[0]) == "chr":
            codes = self.fold(node.args[1])
            return ([chr(c) for c in codes[0]], True) if codes is not None else None
        args = [self.fold(a) for a in node.args]
        known = [a for a in args if a is not None]
        if len(known) < len(args) or node.keywords:
            return None
        values = [a[0] for a in known]
        if isinstance(func, ast.Name):
            if func.id == "chr" and len(values) == 1:
                return chr(values[0]), True
            if func.id in ("bytes", "bytearray") and values and isinstance(values[0], list):
                return bytes(values[0]), True
            if func.id == "str" and len(values) == 1 and isinstance(values[0], str):
                return values[0], True
            if func.id == "reversed" and len(values) == 1:
                return list(reversed(values[0])), True
            if func.id in DECODERS and len(values) == 1:
                return getattr(base64, func.id)(values[0]), True
            return None
        if not isinstance(func, ast.Attribute):
            return None
        if func.attr in DECODERS and len(values) == 1:
            return getattr(base64, func.attr)(values[0]), True
        if func.attr == "fromhex" and len(values) == 1:
            return bytes.fromhex(values[0]), True
        if func.attr == "decode" and name_of(func.value) == "codecs" and len(values) == 2:
            if str(values[1]).lower() not in _SAFE_CODECS:
                return None  # e.g. zlib: a decompression bomb is not worth folding
            return codecs.decode(values[0], values[1]), True
        owner = self.fold(func.value)
        if owner is None:
            return None
        value = owner[0]
        if func.attr == "join" and len(values) == 1 and isinstance(value, str | bytes):
            return value.join(values[0]), True
        if func.attr in ("decode", "encode") and isinstance(value, str | bytes):
            return (
                value.decode("utf-8", "replace")
                if isinstance(value, bytes)
                else value.encode("utf-8", "replace")
            ), True
        if func.attr in _STR_METHODS and not values and isinstance(value, str):
            return getattr(value, func.attr)(), True
        if func.attr == "replace" and isinstance(value, str):
            return value.replace(*values), True
        if func.attr == "format" and isinstance(value, str) and not _WIDE_FORMAT.search(value):
            return value.format(*values), True
        return None


def _binop(op: ast.operator, left: Any, right: Any) -> Any:
    if isinstance(op, ast.Add) and not isinstance(left, int):
        return left + right
    if isinstance(op, ast.Mult) and not (isinstance(left, int) and isinstance(right, int)):
        count = right if isinstance(right, int) else left
        if not isinstance(count, int) or count > MAX_FOLD:
            raise ValueError("too long to fold")
        return left * right
    if isinstance(op, ast.Mod) and isinstance(left, str) and not _WIDE_FORMAT.search(left):
        return left % (tuple(right) if isinstance(right, list) else right)
    # Small integers only (for chr(100 + 11)): repeated squaring must not blow up.
    if isinstance(left, int) and isinstance(right, int) and max(abs(left), abs(right)) < 1 << 32:
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, ast.Mult):
            return left * right
        if isinstance(op, ast.BitXor):
            return left ^ right
        if isinstance(op, ast.FloorDiv):
            return left // right
    raise TypeError("not folded")


def name_of(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else ""


def is_string_op(node: ast.AST) -> bool:
    """An expression that assembles a string (whether or not it can be folded)."""
    if isinstance(node, ast.BinOp | ast.JoinedStr):
        return True
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        return name in {"chr", "join", "decode", "fromhex", "format", "replace", *DECODERS}
    return False
