"""The cycle collector is paused for a batch and resumed as it was found."""

from __future__ import annotations

import gc

import pytest

from core.gc_pause import gc_paused


def test_the_collector_is_off_inside_and_back_on_after_even_after_an_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested batches leave it off for the outer one
            assert not gc.isenabled()
        assert not gc.isenabled()
        raise ValueError("a failed export")
    assert gc.isenabled()


def test_a_collector_the_program_turned_off_stays_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
