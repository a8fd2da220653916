"""The HTTP edge: thin endpoints per resource, each parse -> admit -> submit -> respond.

- common.py    state, the caller, access, `admit_request` (coderunner/gate.py's admit)
- isolated.py  POST /isolatedTest, and `synchronous(kind)` for every synchronous kind
- harness.py   POST /unitTest, /functionTest, /trace
- problems.py  PUT/GET/DELETE /problems/{id}, GET /problems
- callback.py  GET /analyseTest/{sessionId} (the container's callback)
- ops.py       GET /health, /metrics, /languages, /workers, /openapi.json

The tasks endpoints live with the tasks (coderunner/tasks/endpoints.py) and use
common.py the same way.
"""

from ..gate import REFUSED_CALLER
from .callback import BAD_CALLBACK, analyse_test
from .common import STORAGE_FULL
from .harness import function_test, trace, unit_test
from .isolated import isolated_test
from .ops import health, languages, metrics, openapi_json, workers

__all__ = [
    "BAD_CALLBACK",
    "REFUSED_CALLER",
    "STORAGE_FULL",
    "analyse_test",
    "function_test",
    "health",
    "isolated_test",
    "languages",
    "metrics",
    "openapi_json",
    "trace",
    "unit_test",
    "workers",
]
