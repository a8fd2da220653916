import re
import sys
from collections import OrderedDict

PATTERN = re.compile(r"(?P<name>[A-Za-z]+)=(?P<value>-?\d+)")

totals = OrderedDict()
for line in sys.stdin.read().splitlines():
    for match in PATTERN.finditer(line):
        name = match.group("name")
        totals[name] = totals.get(name, 0) + int(match.group("value"))
for name, total in totals.items():
    print("%s: %d" % (name, total))
