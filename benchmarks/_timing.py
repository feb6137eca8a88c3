"""Timing shared by the two benchmark workers (standard library only, so that
both the course environment and the lifetimes environment can import it)."""

import time


def timed(fit, repeats):
    """Call ``fit()`` ``repeats`` times; return the last model and the wall times in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model = fit()
        times.append(time.perf_counter() - start)
    return model, times
