from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from core.layouts import blank_form
from core.model import Form, FundRow, Indicator
from core.store.serialize import form_from_dict, form_to_dict

entries = st.one_of(
    st.none(),
    st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    st.text(min_size=1).filter(lambda t: t.strip() and not t.strip().lstrip("+-").replace(".", "").isdigit()),
)


@given(
    layout=st.sampled_from(["A", "B"]),
    text=st.text(),
    amounts=st.lists(entries, min_size=3, max_size=3),
    rows=st.lists(st.tuples(st.text(max_size=30), entries, entries), max_size=20),
)
def test_a_form_survives_json_exactly(layout, text, amounts, rows):
    form = Form(
        layout=layout, code=text, name=text, goal_actual=text,
        fund_rows=(FundRow("年度资金总额", *amounts),),
        indicators=tuple(Indicator(level1="产出指标", level3=t, points=p, score=s) for t, p, s in rows),
    )
    data = json.loads(json.dumps(form_to_dict(form)))
    assert form_from_dict(data) == form


def test_text_in_a_number_field_stays_text():
    form = Form(indicators=(Indicator(points="十五", score="15"),))
    back = form_from_dict(json.loads(json.dumps(form_to_dict(form))))
    assert back.indicators[0].points == "十五" and back.indicators[0].score == Decimal(15)


def test_unknown_keys_from_a_newer_program_are_ignored():
    data = form_to_dict(blank_form("B"))
    data["something_new"] = 1
    data["indicators"][0]["also_new"] = "x"
    assert form_from_dict(data) == blank_form("B")
