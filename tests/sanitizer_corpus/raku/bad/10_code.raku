# expect: 2:2
use MONKEY-SEE-NO-EVAL;
