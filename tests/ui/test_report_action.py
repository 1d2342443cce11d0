"""文件 → 导出自评报告（Word）in the real window: the open form as on screen, or every form selected in
the list; an existing report is replaced only when the clerk says so."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from tests.report_support import HEADINGS, docx_texts, heading_texts
from tests.seeds import SEED_A, SEED_B


def _section(paragraphs: list[str], heading: str) -> list[str]:
    start = paragraphs.index(heading)
    after = [i for i, text in enumerate(paragraphs) if text in HEADINGS and i > start]
    return paragraphs[start + 1:after[0] if after else None]


def test_the_action_is_in_the_file_menu_and_needs_an_open_form(window):
    (file_menu,) = [m for m in window.findChildren(QMenu) if m.title() == "文件(&F)"]
    assert window.act_export_report in file_menu.actions()
    assert window.act_export_report.text() == "导出自评报告（Word）…" and window.act_export_report.isEnabled()
    window.form_id = None
    window._show_nothing_if_no_form()
    assert not window.act_export_report.isEnabled()


def test_the_report_of_the_open_form_retells_what_is_on_screen(qtbot, window, monkeypatch, tmp_path, answers):
    window.editor.edit("indicators[0].score", "12")
    window.editor.edit("indicators[0].reason", "企业开办数量下降，刻章数量低于预期。")
    target = tmp_path / "报告.docx"
    suggested = []

    def save_name(parent, title, name, pattern, **options):
        suggested.append(name)
        return str(target), pattern

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    window.act_export_report.trigger()
    assert suggested[0].endswith(f"{SEED_A['code']}_2024_自评报告.docx")
    assert heading_texts(target) == list(HEADINGS)
    paragraphs, tables = docx_texts(target)
    assert tables[1][1][4:7] == ["15.00", "12.00", "未完全达成"]
    deviations = _section(paragraphs, HEADINGS[3])
    assert any(p.endswith("得分12.00分。偏差原因分析及改进措施：企业开办数量下降，刻章数量低于预期。")
               for p in deviations)
    assert any("已生成 1 份自评报告" in said and str(target) in said for said in answers.said)
    assert window.list_panel.model.rows[0].status == "填报中"  # a report is not an export of the form


def test_an_existing_report_is_replaced_only_when_the_clerk_says_yes(qtbot, window, monkeypatch, tmp_path):
    target = tmp_path / "报告.docx"
    target.write_bytes(b"edited in WPS")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    asked = []

    def answer(reply):
        def ask(parent, title, text, *rest):
            asked.append(text)
            return reply
        return ask

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    assert window.export_report() == []
    assert target.read_bytes() == b"edited in WPS" and "修改过的内容" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    assert window.export_report() == [target]
    assert docx_texts(target)[0][0].startswith(SEED_A["name"])


def test_every_form_selected_in_the_list_gets_its_report_in_the_chosen_folder(qtbot, window, monkeypatch, tmp_path,
                                                                                 answers):
    table = window.list_panel.table
    selection = table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(table.model().rowCount()):
        selection.select(table.model().index(row, 0), flags)
    assert sorted(window.list_panel.selected_ids()) == [1, 2]
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / f"{SEED_B['code']}_2024_自评报告.docx").write_bytes(b"edited in WPS")

    def answer_no(parent, title, text, *rest):
        answers.said.append(text)
        return QMessageBox.StandardButton.No  # keep the existing report, write the other

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    written = window.export_report()
    assert written == [folder / f"{SEED_A['code']}_2024_自评报告.docx"]
    assert (folder / f"{SEED_B['code']}_2024_自评报告.docx").read_bytes() == b"edited in WPS"
    assert any("跳过" in said for said in answers.said)
    assert window.form_id == 1  # selecting for the report did not open another form
