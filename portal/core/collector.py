"""Pausing Python's cyclic garbage collector around bulk work that allocates many objects and frees none.

A full recompute's shard builds 40,000 proposals (a tuple, a dict of components and a list of reason dicts
each) that all live until they are written. Every 700 new container objects start a collection, and the
older generations' collections walk every object kept so far, the worker's snapshots of both countries
included: measured on a shard of 2,000 companies, building its proposals took 1.66 s with the collector
and 0.49 s without (docs/benchmarks.md, "Scale"). The work creates no reference cycles of its own, and
anything cyclic it drops is collected when the pause ends.
"""

import contextlib
import gc


@contextlib.contextmanager
def collector_paused():
    """No automatic cyclic collection inside the block (reference counting still frees memory at once);
    the collector's previous state is restored after it, even when the block raises."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
