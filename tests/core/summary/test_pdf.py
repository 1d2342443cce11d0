"""The 汇总表 PDF, read back: embedded fonts, the header on every page of the table, every row once,
the totals to the cent, the signature block, the chart page and "第 N 页 共 M 页"."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

import pdfplumber
import pytest

from core.atomic_write import ExportExistsError
from core.pdf.writer import PdfOptions
from core.summary.pdf import CHART_TITLE, render_summary_pdf, write_summary_pdf
from core.summary.rows import SummaryRow
from core.summary.table import COLUMNS, SummaryScope, summarize
from tests.pdf_support import FIXED_DATE, UMING, page_texts, pdffonts, squeeze, table_rows
from tests.summary_forms import known_rows

D = Decimal
GRADES = ("优", "良", "中", "差")
HEADERS = [squeeze(c.header) for c in COLUMNS]


def options(*, overwrite: bool = False) -> PdfOptions:
    return PdfOptions(preparer="张三", phone="0755-12345678", unit_leader="李四", finance_leader="王五",
                      date=FIXED_DATE, font_file=UMING if UMING.exists() else None, overwrite=overwrite)


def many_rows(count: int) -> list[SummaryRow]:
    base = known_rows()[0]
    return [replace(base, form_id=k + 1, code=f"4403032415531471{k:05d}", name=f"第{k + 1}个项目",
                    total_score=D(60) + D(k % 41), annual_budget=D(1000 + k), executed=D(900 + k),
                    initial_budget=D(1000 + k))
            for k in range(count)]


@pytest.fixture
def known_pdf(tmp_path):
    path = tmp_path / "汇总表.pdf"
    summary = summarize(known_rows(), SummaryScope("2024"), GRADES)
    assert write_summary_pdf(path, summary, options()) == []
    return path


def test_every_font_is_embedded_the_chart_page_included(known_pdf):
    fonts = pdffonts(known_pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
    assert not any("Helvetica" in f["name"] for f in fonts)


def test_the_totals_signature_and_page_numbers_are_printed(known_pdf):
    texts = page_texts(known_pdf)
    first = squeeze(texts[0])
    for expected in ("2024年度项目支出绩效自评结果汇总表", "单位：元", "合计（共4张表）", "10,050,000.00",
                     "10,405,000.00", "9,739,826.00", "93.61", "86.64", "97.05", "2张有错误",
                     "单位负责人（签字）：", "财务负责人（签字）：", "（单位盖章）", "填表人：张三",
                     "联系电话：0755-12345678", "填报日期：2025年3月1日", "李四", "王五", "换算为元"):
        assert expected in first, expected
    footers = [re.search(r"第 (\d+) 页 共 (\d+) 页", t) for t in texts]
    assert [m.groups() if m else None for m in footers] == [("1", "2"), ("2", "2")]


def test_every_text_outside_the_table_is_printed_in_black(known_pdf):
    """The notes and the signature block come after the table's white cells: text extraction finds
    white text as well as black, so the colour is what shows whether paper shows it."""
    with pdfplumber.open(known_pdf) as document:
        chars = document.pages[0].chars
    bottom_of_table = max(c["bottom"] for c in chars if c["text"] == "合")  # the totals' label
    below = [c for c in chars if c["top"] > bottom_of_table and c["text"].strip()]
    assert "换" in {c["text"] for c in below} and "签" in {c["text"] for c in below}
    colours = {tuple(c["non_stroking_color"] or ()) for c in below}
    assert colours <= {(0,), (0, 0, 0), (0.0,), (0.0, 0.0, 0.0)}, colours


def test_an_amount_wider_than_its_column_stays_on_one_line_inside_it(tmp_path):
    rows = [replace(known_rows()[0], executed=D("987654321012.34"), annual_budget=D("987654321012.34"))]
    path = tmp_path / "big.pdf"
    write_summary_pdf(path, summarize(rows, SummaryScope("2024"), GRADES), options())
    with pdfplumber.open(path) as document:
        words = document.pages[0].extract_words(x_tolerance=1.5)
        edges = sorted({round(e["x0"], 1) for e in document.pages[0].vertical_edges})
    amounts = [w for w in words if w["text"] == "987,654,321,012.34"]
    assert len(amounts) >= 2, [w["text"] for w in words if "987" in w["text"]]
    for word in amounts:  # inside one column: no cell border between its first and last digit
        assert not any(word["x0"] < edge < word["x1"] for edge in edges), (word, edges)


def test_the_table_reads_back_cell_for_cell(known_pdf):
    (rows,) = table_rows(known_pdf)[:1]
    assert rows[0] == HEADERS
    assert rows[1][:8] == ["1", "440303241553147100001", "罗湖区新开办企业“免费刻章”项目",
                           "深圳市罗湖区政务服务数据管理局（本级）", "4,560,000.00", "4,560,000.00", "4,481,566.00",
                           "98.28"]
    zero = next(r for r in rows if r[:2] == ["3", "440303241553147100002"])
    assert zero[7] == "—" and zero[11] == "1个错误/1个提醒"
    total = next(r for r in rows if r[0].startswith("合计"))
    assert total == ["合计（共4张表）", "10,050,000.00", "10,405,000.00", "9,739,826.00", "93.61", "", "",
                     "优2、良1、中1、差0", "2张有错误", ""]


def test_the_chart_page_draws_grade_counts_and_the_score_distribution(known_pdf):
    texts = page_texts(known_pdf)
    chart = squeeze(texts[-1])
    assert CHART_TITLE in chart and "各等级项目数（张）" in chart and "总得分分布（张）" in chart
    assert all(label in chart for label in ("优", "良", "中", "差", "<60", "95–100"))
    with pdfplumber.open(known_pdf) as document:
        bars = [r for r in document.pages[-1].rects if r["height"] > 5 and r["width"] < 120 and r["fill"]]
    # 优 2, 良 1, 中 1 and the scores 67.50, 80.00, 99.23 and 99.83 in three bins: six bars.
    assert len(bars) == 6


def test_a_long_table_repeats_its_header_on_every_page_and_prints_every_row_once(tmp_path):
    summary = summarize(many_rows(120), SummaryScope("2024"), GRADES)
    path = tmp_path / "long.pdf"
    write_summary_pdf(path, summary, options())
    pages = table_rows(path)[:-1]  # the last page is the chart, whose gridlines look like a table
    table_pages = [rows for rows in pages if rows]
    assert len(table_pages) >= 3
    codes: list[str] = []
    for rows in table_pages:
        assert rows[0] == HEADERS
        codes.extend(r[1] for r in rows[1:] if re.fullmatch(r"\d{21}", r[1]))
    assert codes == [r.code for r in summary.rows]
    texts = page_texts(path)
    assert all("（续）" in t for t in texts[1:len(table_pages)])
    assert CHART_TITLE in squeeze(texts[-1])
    assert all(f["emb"] == "yes" for f in pdffonts(path))


def test_a_row_taller_than_a_page_is_split_and_keeps_all_its_text(tmp_path):
    name = "".join(f"第{k}段项目名称很长" for k in range(400))
    summary = summarize([replace(known_rows()[0], name=name)], SummaryScope("2024"), GRADES)
    data, _ = render_summary_pdf(summary, options())
    path = tmp_path / "tall.pdf"
    path.write_bytes(data)
    names = "".join(row[2] for rows in table_rows(path)[:-1] for row in rows[1:] if len(row) == len(COLUMNS))
    assert name in names


def test_an_existing_pdf_is_kept_without_overwrite(tmp_path):
    target = tmp_path / "clerk.pdf"
    target.write_bytes(b"%PDF the clerk's own")
    summary = summarize(known_rows(), SummaryScope("2024"), GRADES)
    with pytest.raises(ExportExistsError):
        write_summary_pdf(target, summary, options())
    assert target.read_bytes() == b"%PDF the clerk's own"
    write_summary_pdf(target, summary, options(overwrite=True))
    assert target.read_bytes().startswith(b"%PDF-")


def test_an_empty_scope_still_prints_its_totals_and_chart(tmp_path):
    path = tmp_path / "empty.pdf"
    write_summary_pdf(path, summarize([], SummaryScope("2030"), GRADES), options())
    texts = page_texts(path)
    assert "合计（共0张表）" in squeeze(texts[0]) and CHART_TITLE in squeeze(texts[-1])
