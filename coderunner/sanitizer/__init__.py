"""The sanitizer: finds suspicious sections of submitted code before it runs.

- model.py    `Violation`, `Source` (the code as scanned), `RulesError`
- rules.py    the rules files (`images/<lang>/rules.toml`, extends, prefilters)
- passes.py   the registry of generic passes a rules file selects (`python-ast`)
- pyscan.py   the `python-ast` pass (pyfold.py: its constant folding)
- literals.py the literal strings a regex needs (the rules' prefilter)
- scanner.py  `Sanitizer.scan(code, language)`
- policy.py   `SanitizerPolicy`: what the findings mean (log, broadcast, reject)
"""

from .model import LEVELS, TEXT_CAP, RulesError, Source, Violation
from .passes import PASSES, PassFactory, PassFn, build_pass, register_pass
from .policy import Review, SanitizerPolicy
from .rules import Rule, RuleSet, load_rules
from .scanner import Sanitizer

__all__ = [
    "LEVELS",
    "PASSES",
    "TEXT_CAP",
    "PassFactory",
    "PassFn",
    "Review",
    "Rule",
    "RuleSet",
    "RulesError",
    "Sanitizer",
    "SanitizerPolicy",
    "Source",
    "Violation",
    "build_pass",
    "load_rules",
    "register_pass",
]
