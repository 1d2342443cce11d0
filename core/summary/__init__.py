"""The 绩效自评结果汇总表: every project of a year on one sheet, with totals, weighted averages and a chart.

    rows.py   a stored form and its evaluation as one row — the one place the summary reads a form
    table.py  the scope (year, unit, 主管部门, status), the units, the totals rows
    xlsx.py   the summary as xlsx, read back before it lands
    pdf.py    the summary as PDF: the table, a signature block and a chart page (chart.py)
"""
