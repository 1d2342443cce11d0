"""Batch work without the cycle collector.

Judging a thousand forms or drawing a thousand-row sheet allocates millions of small objects that
reference counting frees at once; the cycle collector, triggered by the allocation count alone,
would walk the whole heap again and again meanwhile (a third of a 1 000-form summary's time in
bench/run.py). It is paused for the batch and resumed after, as it was found.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
