"""What a worker does: queue slots, warm containers, launch, stage, clean up.

`core` holds the Runner (one session from staged files to a RunRecord); the
other modules are its parts. The public names stay importable from here.
"""

from .core import FINISHED_MEMORY, INTERNAL, PROGRESS_INTERVAL_S, Job, Runner, Seen

__all__ = ["FINISHED_MEMORY", "INTERNAL", "PROGRESS_INTERVAL_S", "Job", "Runner", "Seen"]
