"""The runner's memory of ended sandboxes stays bounded by age and by count
(coderunner/runner/ended.py): the soak's flat memory depends on it."""

from __future__ import annotations

from coderunner.runner.ended import Ended


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_steady_stream_of_sessions_holds_only_the_last_max_age() -> None:
    clock = Clock()
    ended = Ended(max_age_s=60, max_ids=10_000, clock=clock)
    for n in range(20_000):  # 20,000 sessions at 10 per second: 2,000 s
        ended.add(f"s{n}")
        clock.now += 0.1
    # 60 s at 10 per second, not 10,000 and not 20,000.
    assert 590 <= len(ended) <= 601
    assert "s19999" in ended
    assert "s0" not in ended and "s19000" not in ended


def test_count_bound_holds_at_any_rate() -> None:
    clock = Clock()
    ended = Ended(max_age_s=3600, max_ids=100, clock=clock)
    for n in range(5_000):  # all within the same instant
        ended.add(f"s{n}")
        assert len(ended) <= 100
    assert "s4999" in ended and "s4900" in ended and "s4899" not in ended


def test_a_repeat_within_the_age_is_remembered_and_expires_after() -> None:
    clock = Clock()
    ended = Ended(max_age_s=120, clock=clock)
    ended.add("abc")
    clock.now += 119
    assert "abc" in ended
    clock.now += 2
    assert "abc" not in ended
    assert len(ended) == 0  # expired ids are gone, not just hidden


def test_expiry_also_happens_on_lookup_alone() -> None:
    clock = Clock()
    ended = Ended(max_age_s=10, clock=clock)
    for n in range(50):
        ended.add(f"s{n}")
    clock.now += 11
    assert "unknown" not in ended
    assert len(ended) == 0
