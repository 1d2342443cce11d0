"""`check --json` of the samples and the seed fixtures is exactly what it was (tests/data/golden):
the house and the layout data files change how the program is built, not what it reports."""

from __future__ import annotations

import pytest

from tests.golden import GOLDEN, cases, check_json_text

NAMES = sorted(path.stem for path in GOLDEN.glob("*.json"))


def test_there_is_a_golden_file_for_every_case(tmp_path):
    assert sorted(cases(tmp_path)) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_check_json_is_byte_identical_to_the_golden_file(tmp_path, name):
    path = cases(tmp_path)[name]
    assert check_json_text(path) == (GOLDEN / f"{name}.json").read_text(encoding="utf-8")
