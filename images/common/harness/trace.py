"""Starts the execution tracer (tracer.py beside this file) for POST /trace.

    python3 -B -I /opt/coderunner/harness/trace.py source.py STEPS OUTPUT_BYTES TRACE_BYTES

A script is compiled on every start; a module comes from the __pycache__ written
when the image was built.  Isolated mode (-I) puts no script directory on sys.path.
"""

import sys

sys.path.insert(0, "/opt/coderunner/harness")
import tracer

tracer.main(sys.argv)
