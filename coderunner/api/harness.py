"""The harness kinds' synchronous endpoints: the same pipeline as /isolatedTest, each
kind's own request and answer (coderunner/harness/, coderunner/functions/)."""

from __future__ import annotations

from .isolated import synchronous

unit_test = synchronous("unitTest")  # POST /unitTest (SPEC section 9)
function_test = synchronous("functionTest")  # POST /functionTest (SPEC section 10)
trace = synchronous("trace")  # POST /trace (SPEC section 11)
