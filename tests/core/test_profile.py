"""The rule profile: every constant in one file; a malformed one is reported and the shipped one used."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.profile import DEFAULT_PATH, RULES, default_profile, load_profile
from tests.conftest import check_json


def test_shipped_profile_holds_the_official_constants():
    profile = default_profile()
    assert profile.funds_points == 10 and profile.total_points == 100
    assert dict(profile.group_weights) == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert profile.far_above_ratio == Decimal("1.2")
    assert profile.band("达成年度指标") == (80, 100) and profile.band("部分达成") == (60, 80)
    assert profile.band("未达成") == (0, 60)
    assert (profile.rate_places, profile.score_places, profile.suggested_places) == (2, 2, 2)
    assert profile.bare_fraction_max == 1
    assert profile.level_of("UNIT_MISMATCH") == "warning"


@pytest.mark.parametrize(
    "edit, fragment",
    [
        (('far_above_ratio = 1.2', 'far_above_ratio = "很多"'), "scoring.far_above_ratio"),
        (('bare_fraction_max = 1', 'bare_fraction_max = -1'), "scoring.bare_fraction_max"),
        (('UNIT_MISMATCH = "warning"', 'UNIT_MISMATCH = "sometimes"'), "checks.UNIT_MISMATCH"),
        (('"产出指标" = 50', '"产出指标" = -50'), "weights.groups.产出指标"),
        (('rate = 2 ', 'rate = 2.5 '), "rounding.rate"),
        (('BAND = "error"', 'BAND = "fatal"'), "checks.BAND"),
        (('[grades]', '[grades_typo]'), "[grades]"),
        (('name = ', 'name = = '), "格式错误"),
    ],
)
def test_a_malformed_profile_names_the_key_and_falls_back(tmp_path, edit, fragment):
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace(*edit)
    path = tmp_path / "region.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load_profile(path)
    assert loaded.profile == default_profile()
    (problem,) = loaded.problems
    assert fragment in problem and str(path) in problem and "已改用内置规则" in problem


def test_the_shipped_profile_names_every_rule():
    assert {rule for rule, _ in default_profile().check_levels} == set(RULES)


def test_a_profile_written_before_bare_fraction_max_existed_takes_the_shipped_value(tmp_path):
    lines = DEFAULT_PATH.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "older.toml"
    path.write_text("\n".join(line for line in lines if not line.startswith("bare_fraction_max")), encoding="utf-8")
    loaded = load_profile(path)
    assert loaded.problems == () and loaded.profile.bare_fraction_max == default_profile().bare_fraction_max


def test_unit_mismatch_can_be_turned_off(tmp_path):
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace('UNIT_MISMATCH = "warning"', 'UNIT_MISMATCH = "off"')
    path = tmp_path / "quiet.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load_profile(path)
    assert loaded.problems == () and loaded.profile.level_of("UNIT_MISMATCH") == "off"


def test_a_missing_profile_file_falls_back(tmp_path):
    loaded = load_profile(tmp_path / "none.toml")
    assert loaded.profile == default_profile() and "无法读取" in loaded.problems[0]


def test_a_regional_profile_changes_data_not_code(tmp_path, seed_a):
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace("far_above_ratio = 1.2", "far_above_ratio = 1.5")
    path = tmp_path / "region.toml"
    path.write_text(text, encoding="utf-8")
    data, result = check_json(seed_a, "--profile", path)
    assert result.returncode == 0
    assert "FAR_ABOVE_TARGET" not in [f["rule"] for f in data["forms"][0]["findings"]]


def test_check_reports_a_malformed_profile_and_still_checks(tmp_path, seed_a):
    path = tmp_path / "bad.toml"
    path.write_text("weights = 3", encoding="utf-8")
    data, result = check_json(seed_a, "--profile", path)
    assert result.returncode == 1
    assert data["forms"][0]["total_score"] == "99.83"
    assert "已改用内置规则" in result.stderr
