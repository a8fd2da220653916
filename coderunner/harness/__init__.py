"""Task kinds beyond isolatedTest: the unit-test harness (unit.py + protocol.py).

coderunner.kinds registers the kinds of this package at its end, and they import
its Prepared: importing kinds first, whichever module is imported first, keeps
that cycle in the one order that works.
"""

from .. import kinds as _kinds  # noqa: F401
