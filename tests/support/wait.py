"""Waiting on a condition, with a bound, instead of sleeping for a guessed time."""
import time


def until(condition, timeout=5.0, what="the condition"):
    """Return once ``condition()`` is true; fail after ``timeout`` seconds. Looks every 10 ms."""
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, f"{what} did not hold within {timeout} s"
        time.sleep(0.01)
