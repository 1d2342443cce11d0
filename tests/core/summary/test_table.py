"""绩效自评结果汇总表: the form → row mapping, units, scope and every total, to the cent."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.checks import evaluate
from core.model import STATUSES, with_fund_row
from core.profile import default_profile
from core.store import Store
from core.summary.rows import SummaryRow, summary_row
from core.summary.table import (
    AVERAGE_LABEL,
    COLUMNS,
    NO_NUMBER,
    WEIGHTED_LABEL,
    RowMemo,
    SummaryScope,
    build_summary,
    cell_text,
    footer_rows,
    in_scope,
    money_text,
    row_values,
    rows_of_year,
    score_bins,
    summarize,
)
from tests.pdf_support import seed_form
from tests.summary_forms import errors_form, known_forms, known_rows, zero_budget_form

D = Decimal
GRADES = ("优", "良", "中", "差")
SCOPE = SummaryScope("2024")


def row(score="90", budget="100.00", executed="90.00", unit="元", initial="100.00", **changes) -> SummaryRow:
    values = dict(form_id=1, code="440303241553147100001", name="项目", year="2024", implementing_unit="某单位",
                  supervisor="某局", money_unit=unit, initial_budget=None if initial is None else D(initial),
                  annual_budget=None if budget is None else D(budget),
                  executed=None if executed is None else D(executed), rate=None, total_points=D(100),
                  total_score=D(score), grade="优", errors=0, warnings=0, status="填报中")
    values.update(changes)
    return SummaryRow(**values)


# --- the totals row of forms with known numbers (tests/summary_forms.py computes them by hand) ------

def test_totals_rows_of_known_forms_to_the_cent():
    summary = summarize(known_rows(), SCOPE, GRADES)
    total, average, weighted = footer_rows(summary)
    assert total == ("合计（共 4 张表）", None, None, None, D("10050000.00"), D("10405000.00"), D("9739826.00"),
                     D("93.61"), None, None, "优 2、良 1、中 1、差 0", 2, None)
    assert average == (AVERAGE_LABEL, None, None, None, None, None, None, None, None, D("86.64"), None, None, None)
    assert weighted == (WEIGHTED_LABEL, None, None, None, None, None, None, None, None, D("97.05"), None, None, None)
    # As printed (PDF, window): every cell to the cent.
    assert [cell_text(v, c, footer=True) for v, c in zip(total, COLUMNS, strict=False)] == [
        "合计（共 4 张表）", "", "", "", "10,050,000.00", "10,405,000.00", "9,739,826.00", "93.61", "", "",
        "优 2、良 1、中 1、差 0", "2 张有错误", ""]
    assert cell_text(average[9], COLUMNS[9], footer=True) == "86.64"
    assert cell_text(weighted[9], COLUMNS[9], footer=True) == "97.05"


def test_known_forms_give_the_rows_the_totals_assume():
    rows = known_rows()
    assert [r.total_score for r in rows] == [D("99.83"), D("99.23"), D("80"), D("67.50")]
    assert [r.grade for r in rows] == ["优", "优", "良", "中"]
    assert [r.errors > 0 for r in rows] == [False, False, True, True]
    assert rows[2].rate is None and rows[3].rate == D("75.00")
    assert any(f.rule == "BUDGET_ZERO" for f in evaluate(zero_budget_form(), default_profile()).errors)
    assert any(f.rule == "REASON_MISSING" for f in evaluate(errors_form(), default_profile()).errors)


def test_mixed_units_are_shown_in_yuan_exactly_and_the_title_line_says_so():
    summary = summarize(known_rows(), SCOPE, GRADES)
    assert summary.money_unit == "元" and summary.converted and summary.unit_line == "单位：元"
    seed_b = next(r for r in summary.rows if r.code == "440303241553147400008")
    assert (seed_b.initial_budget, seed_b.annual_budget, seed_b.executed) == (
        D("4590000.00"), D("5045000.00"), D("4658260.00"))
    assert seed_b.money_unit == "元" and seed_b.rate == D("92.33")  # a rate has no unit
    assert any("×10 000 换算为元" in note for note in summary.notes)


def test_six_decimal_wan_yuan_become_yuan_to_the_cent():
    rows = [row(unit="万元", initial="12.345678", budget="0.000001", executed="123456789.123456"), row(code="2")]
    converted = summarize(rows, SCOPE, GRADES).rows
    wan = next(r for r in converted if r.code == "440303241553147100001")
    assert (wan.initial_budget, wan.annual_budget, wan.executed) == (
        D("123456.78"), D("0.01"), D("1234567891234.56"))
    assert wan.executed is not None
    assert money_text(wan.executed) == "1,234,567,891,234.56"


def test_forms_all_in_wan_yuan_stay_in_wan_yuan():
    rows = [row(unit="万元", initial="456.00", budget="456.00", executed="448.1566"),
            row(unit="万元", code="2", initial="1.5", budget="2", executed="1")]
    summary = summarize(rows, SCOPE, GRADES)
    assert summary.money_unit == "万元" and not summary.converted and summary.unit_line == "单位：万元"
    assert summary.totals.annual_budget == D("458.00") and summary.totals.executed == D("449.1566")
    assert money_text(summary.totals.executed) == "449.1566"
    assert not any("换算" in note for note in summary.notes)


def test_no_forms_means_yuan_and_no_totals():
    summary = summarize([], SCOPE, GRADES)
    total, average, weighted = footer_rows(summary)
    assert summary.unit_line == "单位：元"
    assert total[:8] == ("合计（共 0 张表）", None, None, None, NO_NUMBER, NO_NUMBER, NO_NUMBER, NO_NUMBER)
    assert average[9] == weighted[9] == NO_NUMBER


# --- arithmetic ----------------------------------------------------------------------------------

def test_overall_rate_rounds_half_up_to_two_places():
    # 12 330 / 200 000 × 100 = 6.165: half-up gives 6.17 (half-even would give 6.16).
    summary = summarize([row(budget="200000.00", executed="12330.00")], SCOPE, GRADES)
    assert summary.totals.rate == D("6.17")


def test_average_scores_round_half_up_to_two_places():
    # (90.01 + 90.00) / 2 = 90.005 → 90.01; weighted equally as well.
    summary = summarize([row(score="90.01"), row(score="90.00", code="2")], SCOPE, GRADES)
    assert summary.totals.average_score == D("90.01") and summary.totals.weighted_score == D("90.01")


def test_a_zero_budget_weighs_nothing_in_the_weighted_average():
    rows = [row(score="100", budget="300.00"), row(score="60", budget="100.00", code="2"),
            row(score="0", budget="0.00", code="3"), row(score="10", budget=None, code="4"),
            row(score="20", budget="-5.00", code="5")]
    totals = summarize(rows, SCOPE, GRADES).totals
    assert totals.weighted_score == D("90.00")  # (100 × 300 + 60 × 100) / 400
    assert totals.average_score == D("38.00")  # 190 / 5: every form counts in the plain average


def test_when_every_budget_is_zero_there_is_no_weighted_average_and_a_note_says_why():
    rows = [row(score="80", budget="0.00", executed="0.00"), row(score="70", budget=None, executed=None, code="2")]
    summary = summarize(rows, SCOPE, GRADES)
    total, average, weighted = footer_rows(summary)
    assert summary.totals.weighted_score is None and weighted[9] == NO_NUMBER
    assert summary.totals.rate is None and total[7] == NO_NUMBER  # Σ全年预算数 = 0: no division
    assert average[9] == D("75.00")
    assert any("无法计算按全年预算数加权" in note for note in summary.notes)


def test_a_missing_initial_budget_is_left_out_of_its_sum_and_said():
    rows = [row(initial=None), row(initial="50.00", code="2")]
    summary = summarize(rows, SCOPE, GRADES)
    assert summary.totals.initial_budget == D("50.00")
    missing = next(r for r in summary.rows if r.code != "2")
    assert row_values(missing, 1)[4] == NO_NUMBER
    assert any("1 张表没有年初预算数" in note for note in summary.notes)


def test_grade_counts_follow_the_profile_and_keep_a_grade_it_does_not_name():
    rows = [row(grade="良"), row(grade="良", code="2"), row(grade="差", code="3"), row(grade="合格", code="4")]
    assert summarize(rows, SCOPE, GRADES).totals.grade_counts == (("优", 0), ("良", 2), ("中", 0), ("差", 1),
                                                                   ("合格", 1))


def test_forms_with_errors_are_counted_once_each():
    rows = [row(errors=3), row(errors=0, warnings=4, code="2"), row(errors=1, code="3")]
    assert summarize(rows, SCOPE, GRADES).totals.with_errors == 2


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(amounts, scores, st.booleans()), min_size=1, max_size=12))
def test_totals_add_up_in_yuan_whatever_the_units_and_the_weighted_average_stays_between_scores(items):
    rows = []
    for k, (budget, score, wan) in enumerate(items):
        stated = budget / 10000 if wan else budget
        rows.append(row(score=str(score), budget=str(stated), executed=str(stated), initial=str(stated),
                        unit="万元" if wan else "元", code=str(k)))
    summary = summarize(rows, SCOPE, GRADES)
    units = {r.money_unit for r in rows}
    expected = sum((b for b, _, _ in items), D(0)) if len(units) > 1 or units == {"元"} else \
        sum((b / 10000 for b, _, _ in items), D(0))
    assert summary.totals.annual_budget == expected
    weighted = summary.totals.weighted_score
    positive = [s for b, s, _ in items if b > 0]
    if positive:
        assert min(positive) - D("0.01") <= weighted <= max(positive) + D("0.01")
    else:
        assert weighted is None


# --- rows and scope ------------------------------------------------------------------------------

def test_summary_row_takes_the_forms_facts():
    evaluation = evaluate(seed_form("B"), default_profile())
    mapped = summary_row(evaluation, "已审核", 7)
    assert mapped == SummaryRow(
        form_id=7, code="440303241553147400008", name="大数据服务经费", year="2024",
        implementing_unit="深圳市罗湖区智慧城市建设中心", supervisor="深圳市罗湖区政务服务和数据管理局（本级）",
        money_unit="元", initial_budget=D("4590000.00"), annual_budget=D("5045000.00"), executed=D("4658260.00"),
        rate=D("92.33"), total_points=D(100), total_score=D("99.23"), grade="优", errors=0,
        warnings=len(evaluation.warnings), status="已审核", base_label="全年预算数", layout="B")


def test_a_budget_typed_as_text_is_no_number_in_the_summary():
    form = replace(seed_form("A"), fund_rows=(replace(seed_form("A").fund_rows[0], annual_budget="四百万"),))
    mapped = summary_row(evaluate(form, default_profile()), "填报中")
    assert mapped.annual_budget is None and mapped.rate is None and mapped.errors > 0


def test_row_values_show_a_dash_where_a_number_cannot_be_given():
    values = row_values(row(budget="0.00", executed="0.00"), 3)
    assert values[0] == 3 and values[7] == NO_NUMBER
    assert [cell_text(v, c) for v, c in zip(values, COLUMNS, strict=False)][4:10] == [
        "100.00", "0.00", "0.00", "—", "100.00", "90.00"]


def test_rows_are_grouped_by_unit_and_ordered_by_code_within_it():
    rows = [row(code="3", implementing_unit="乙"), row(code="2", implementing_unit="甲"),
            row(code="1", implementing_unit="乙")]
    ordered = [(r.implementing_unit, r.code) for r in summarize(rows, SCOPE, GRADES).rows]
    assert ordered in ([("乙", "1"), ("乙", "3"), ("甲", "2")], [("甲", "2"), ("乙", "1"), ("乙", "3")])


@pytest.mark.parametrize("scope, expected", [
    (SummaryScope("2024"), True),
    (SummaryScope("2023"), False),
    (SummaryScope(" 2024 "), True),
    (SummaryScope("2024", implementing_unit="深圳市 罗湖区档案馆"), True),  # spaces ignored
    (SummaryScope("2024", implementing_unit="深圳市罗湖区档案馆（本级）"), False),  # one unit, not a prefix
    (SummaryScope("2024", implementing_unit="深圳市罗湖区档案馆"), True),
    (SummaryScope("2024", supervisor="深圳市罗湖区文化广电旅游体育局"), True),
    (SummaryScope("2024", supervisor="深圳市罗湖区教育局"), False),
    (SummaryScope("2024", status="已审核"), True),
    (SummaryScope("2024", status="填报中"), False),
])
def test_scope_selects_by_year_unit_supervisor_and_status(scope, expected):
    candidate = row(implementing_unit="深圳市罗湖区档案馆", supervisor="深圳市罗湖区文化广电旅游体育局",
                    status="已审核")
    assert in_scope(candidate, scope) is expected


def test_full_width_letters_in_a_unit_name_still_match():
    candidate = row(implementing_unit="罗湖区ＡＢ中心")
    assert in_scope(candidate, SummaryScope("2024", implementing_unit="罗湖区ab中心"))


def test_score_bins_count_every_form_once():
    rows = [row(score=s, code=str(k)) for k, s in enumerate(["0", "59.99", "60", "64.99", "95", "100", "99.83"])]
    bins = dict(score_bins(rows))
    assert bins["<60"] == 2 and bins["60–65"] == 2 and bins["95–100"] == 3
    assert sum(bins.values()) == len(rows) and ">100" not in bins
    assert dict(score_bins([row(score="101")]))[">100"] == 1


# --- from a real store ---------------------------------------------------------------------------

def test_build_summary_reads_one_year_of_a_real_store(tmp_path):
    profile = default_profile()
    with Store(tmp_path / "forms.sqlite3") as store:
        ids = [store.create_form(form) for form in known_forms()]
        older = store.create_form(replace(seed_form("A"), year="2023", code="440303231553147100009"))
        store.set_status(ids[0], STATUSES[1])
        summary = build_summary(store, SummaryScope("2024"), profile)
        assert sorted(r.form_id for r in summary.rows if r.form_id is not None) == ids
        assert older not in {r.form_id for r in summary.rows}
        assert summary.money_unit == "元" and not summary.converted
        assert summary.totals.annual_budget == D("10405000.00") and summary.totals.with_errors == 2
        audited = build_summary(store, SummaryScope("2024", status=STATUSES[1]), profile)
        assert [r.form_id for r in audited.rows] == [ids[0]]
        archive = build_summary(store, SummaryScope("2024", implementing_unit="深圳市罗湖区档案馆"), profile)
        assert sorted(r.form_id for r in archive.rows if r.form_id is not None) == ids[2:]
        supervised = build_summary(store, SummaryScope("2024", supervisor="深圳市罗湖区政务服务和数据管理局（本级）"),
                                   profile)
        assert [r.code for r in supervised.rows] == ["440303241553147400008"]  # seed B's 一级预算单位


def test_current_texts_of_a_year_come_in_one_read(tmp_path):
    with Store(tmp_path / "forms.sqlite3") as store:
        first = store.create_form(seed_form("A"))
        store.create_form(replace(seed_form("B"), year="2023"))
        third = store.create_form(replace(seed_form("B"), year=" 2024"))
        texts = store.current_texts("2024")
        assert [(form_id, status) for form_id, status, _ in texts] == [(first, "填报中"), (third, "填报中")]
        assert store.load_form(texts[0][2], first) == store.form(first)
        assert len(store.current_texts()) == 3


def test_the_memo_judges_again_only_what_changed_and_tells_100_000_from_100_00(tmp_path):
    profile = default_profile()
    memo = RowMemo()
    with Store(tmp_path / "forms.sqlite3") as store:
        ids = [store.create_form(form) for form in known_forms()]
        first = rows_of_year(store, "2024", profile, memo)
        assert rows_of_year(store, "2024", profile, memo) == first
        assert rows_of_year(store, "2024", profile) == first  # the memo changes nothing but the time
        # Three decimals in an amount is a NUMBER_FORMAT error; the value is the same as 100000.00.
        form = store.form(ids[2])
        store.save(ids[2], with_fund_row(form, 0, initial_budget=D("100000.000")))
        store.set_status(ids[0], STATUSES[1])
        again = rows_of_year(store, "2024", profile, memo)
        assert again[2].errors == first[2].errors + 1 and again[2].initial_budget == first[2].initial_budget
        assert again[0].status == STATUSES[1] and again[1] == first[1]
        small = RowMemo(size=2)
        rows_of_year(store, "2024", profile, small)
        assert len(small._rows) == 2
