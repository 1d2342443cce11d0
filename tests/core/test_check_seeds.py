"""The two seed forms, written as xlsx in the official arrangement, checked through `main.py check
--json`: every printed number and every indicator must come out to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import check_json
from tests.seeds import SEED_A, SEED_B, seed_workbook


def _num(text) -> Decimal:
    return Decimal(text)


@pytest.mark.parametrize("seed", [SEED_A, SEED_B], ids=["A", "B"])
def test_check_json_reproduces_every_printed_number_of_the_seed(tmp_path, seed):
    path = seed_workbook(tmp_path / "seed.xlsx", seed["layout"])
    data, result = check_json(path)
    assert result.returncode == 0, result.stderr
    assert data["errors"] == []
    (form,) = data["forms"]
    assert form["layout"] == seed["layout"]
    assert form["code"] == seed["code"]
    assert form["name"] == seed["name"]
    assert form["year"] == int(seed["year"])
    funds = form["funds"]
    label, initial, annual, executed = seed["fund_rows"][0]
    assert _num(funds["initial_budget"]) == _num(initial)
    assert _num(funds["annual_budget"]) == _num(annual)
    assert _num(funds["executed"]) == _num(executed)
    assert funds["points"] == "10"
    assert _num(funds["rate"]) == _num(seed["rate"])
    assert funds["score"] == seed["funds_score"]
    assert form["total_points"] == seed["total_points"]
    assert form["total_score"] == seed["total_score"]
    assert form["grade"] == "优"
    assert [row["label"] for row in form["fund_rows"]] == [row[0] for row in seed["fund_rows"]]
    for got, want in zip(form["fund_rows"], seed["fund_rows"], strict=True):
        assert [_num(got[k]) for k in ("initial_budget", "annual_budget", "executed")] == [_num(v) for v in want[1:]]
    assert form["goal_expected"] == seed["goal_expected"]
    assert form["goal_actual"] == seed["goal_actual"]


def test_layout_a_prints_exact_strings_of_the_official_sheet(seed_a):
    data, _ = check_json(seed_a)
    form = data["forms"][0]
    assert form["funds"]["rate"] == "98.28"
    assert form["funds"]["score"] == "9.83"
    assert form["total_points"] == "100.00"
    assert form["total_score"] == "99.83"
    assert [g["points"] for g in form["groups"]] == ["50.00", "30.00", "10.00"]


def test_layout_b_prints_numbers_as_entered(seed_b):
    data, _ = check_json(seed_b)
    form = data["forms"][0]
    assert form["funds"]["rate"] == "92.33"
    assert form["funds"]["score"] == "9.23"
    assert form["total_points"] == "100"
    assert form["total_score"] == "99.23"
    assert form["unit_code"] == "155002"


def test_every_indicator_of_seed_a_is_read_field_for_field(seed_a):
    data, _ = check_json(seed_a)
    indicators = data["forms"][0]["indicators"]
    assert len(indicators) == len(SEED_A["indicators"])
    for got, row in zip(indicators, SEED_A["indicators"], strict=True):
        level1, level2, level3, target, actual, points, score = row
        assert got["level1"] == level1.split(" ")[0]
        assert (got["level2"], got["level3"], got["target"], got["actual"]) == (level2, level3, target, actual)
        assert got["points"] == f"{points:.2f}" and got["score"] == f"{score:.2f}"
        assert got["reason"] == ""


def test_every_indicator_of_seed_b_is_read_field_for_field(seed_b):
    data, _ = check_json(seed_b)
    indicators = data["forms"][0]["indicators"]
    assert len(indicators) == len(SEED_B["indicators"])
    for got, row in zip(indicators, SEED_B["indicators"], strict=True):
        level1, level2, level3, target, unit, actual, weight, score = row
        assert got["level1"] == level1.split(" ")[0]
        assert (got["level2"], got["level3"], got["target"], got["unit"], got["actual"]) == (
            level2, level3, target, unit, actual)
        assert (got["points"], got["score"]) == (str(weight), str(score))


def test_check_json_has_every_key_of_the_contract(seed_b):
    data, _ = check_json(seed_b)
    form = data["forms"][0]
    for key in ("sheet", "layout", "code", "name", "year", "funds", "fund_rows", "goal_expected", "goal_actual",
                "groups", "indicators", "total_points", "total_score", "grade", "findings"):
        assert key in form
    assert set(form["funds"]) >= {"initial_budget", "annual_budget", "executed", "points", "rate", "score"}
    assert set(form["indicators"][0]) >= {"level1", "level2", "level3", "target", "unit", "actual", "points",
                                          "score", "reason", "suggested_score", "suggested_reason"}
    assert set(form["groups"][0]) >= {"name", "points", "score"}
    for finding in form["findings"]:
        assert set(finding) >= {"level", "rule", "field", "cell", "message"}


def test_findings_name_the_source_cells_of_the_file(seed_b):
    data, _ = check_json(seed_b)
    by_rule: dict[str, list[dict]] = {}
    for finding in data["forms"][0]["findings"]:
        by_rule.setdefault(finding["rule"], []).append(finding)
    assert [f["cell"] for f in by_rule["NA_WITH_POINTS"]] == ["H21", "H22", "H23", "H24"]
    assert [f["field"] for f in by_rule["NA_WITH_POINTS"]] == [f"indicators[{i}].points" for i in (7, 8, 9, 10)]


def test_check_without_json_prints_a_chinese_summary(seed_a):
    from tests.conftest import run_main

    result = run_main("check", seed_a)
    assert result.returncode == 0
    assert "执行率 98.28%" in result.stdout
    assert "总得分 99.83" in result.stdout
    assert "等级 优" in result.stdout
