"""Polling for effects of other processes (workers) in tests."""

import time


def wait_for(condition, seconds: float = 45.0, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
