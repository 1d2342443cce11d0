"""The real main window on a real database, driven offscreen as a clerk would use it."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from core.profile import default_profile
from core.store import Store
from core.xlsx.reader import read_workbook
from tests.conftest import run_main
from tests.ui.test_form_editor import type_into
from ui.app import add_samples
from ui.main_window import MainWindow


class Answers:
    """Replaces modal message boxes: records what was said, answers Yes."""

    def __init__(self):
        self.said = []

    def __call__(self, *args, **kwargs):
        self.said.append(" ".join(str(a) for a in args[1:3]))
        return QMessageBox.StandardButton.Yes


@pytest.fixture
def answers(monkeypatch):
    answers = Answers()
    for name in ("information", "warning", "question", "critical"):
        monkeypatch.setattr(QMessageBox, name, answers)
    return answers


def make_window(qtbot, db: Path, tmp_path: Path) -> MainWindow:
    store = Store(db)
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, default_profile(), settings)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def window(qtbot, tmp_path, answers, seed_a, seed_b):
    db = tmp_path / "forms.sqlite3"
    with Store(db) as store:
        for path in (seed_a, seed_b):
            store.import_workbook(path.name, path.read_bytes(), [(f.sheet, f.form) for f in read_workbook(path).forms])
    win = make_window(qtbot, db, tmp_path)
    yield win
    win.close()
    win.store.close()


def test_every_model_passes_the_model_tester(qtmodeltester, window):
    qtmodeltester.check(window.list_panel.model)
    qtmodeltester.check(window.list_panel.proxy)
    qtmodeltester.check(window.editor.model)


def test_opens_the_first_form_and_shows_totals(window):
    assert window.form_id == 1
    assert window.editor.form.code == "440303241553147100001"
    assert "总分 99.83" in window.score_label.text() and "等级 优" in window.score_label.text()
    assert window.findings.list.count() == 1  # FAR_ABOVE_TARGET


def test_a_unit_mismatch_is_listed_marked_on_its_cell_and_leads_there(qtbot, window):
    editor, panel = window.editor, window.findings
    type_into(qtbot, editor, "indicators[1].actual", "0.8")  # against 100%: 0.8%, or 80%?
    focused = QApplication.focusWidget()
    assert focused is not None
    focused.clearFocus()

    def mismatches():
        items = (panel.list.item(i) for i in range(panel.list.count()))
        return [item for item in items if item.toolTip().startswith("UNIT_MISMATCH：")]

    qtbot.waitUntil(lambda: len(mismatches()) == 1, timeout=2000)
    (item,) = mismatches()
    assert item.text() == ("[F12] 第 2 个指标“免费刻章费用支付准确率”：实际完成值 0.8 与指标 100% 的单位不一致，"
                           "可能是 80%，请核对")
    assert panel.summary.text().startswith("审核：0 个错误，2 个提醒")  # with seed A's FAR_ABOVE_TARGET
    cell = editor.model.index_of("indicators[1].actual")
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "可能是 80%" in cell.data(Qt.ItemDataRole.ToolTipRole)
    editor.view.setCurrentIndex(editor.model.index_of("code"))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=panel.list.visualItemRect(item).center())
    assert editor.view.currentIndex() == cell
    type_into(qtbot, editor, "indicators[1].actual", "80%")
    focused = QApplication.focusWidget()
    assert focused is not None
    focused.clearFocus()
    qtbot.waitUntil(lambda: not mismatches(), timeout=2000)


def test_typing_changes_total_and_findings_and_undo_redo(qtbot, window):
    editor = window.editor
    type_into(qtbot, editor, "indicators[1].score", "12")
    focused = QApplication.focusWidget()
    assert focused is not None
    focused.clearFocus()
    assert "总分 96.83" in window.score_label.text()  # at once

    def listed():  # the findings list follows once typing pauses
        messages = [window.findings.list.item(i).text() for i in range(window.findings.list.count())]
        return any("得分 12 低于分值 15" in m for m in messages)

    qtbot.waitUntil(listed, timeout=2000)
    window.act_undo.trigger()
    assert "总分 99.83" in window.score_label.text()
    window.act_redo.trigger()
    assert "总分 96.83" in window.score_label.text()


def test_an_edit_survives_closing_and_reopening(qtbot, window, tmp_path):
    type_into(qtbot, window.editor, "indicators[1].reason", "系统故障，已整改", chinese=True)
    qtbot.waitUntil(lambda: window.save_label.text().startswith("已保存"), timeout=3000)
    db = window.store.path
    window.close()
    window.store.close()
    again = make_window(qtbot, db, tmp_path)
    try:
        assert again.editor.form is not None
        assert again.editor.form.indicators[1].reason == "系统故障，已整改"
    finally:
        again.close()
        again.store.close()


def test_closing_flushes_a_pending_edit_at_once(qtbot, window, tmp_path):
    window.editor.edit("indicators[2].reason", "刚刚输入")
    assert window.autosave.isActive()
    window.close()
    with Store(window.store.path, read_only=True) as store:
        assert store.form(1).indicators[2].reason == "刚刚输入"


def test_clicking_a_finding_jumps_to_its_cell(qtbot, window):
    item = window.findings.list.item(0)
    window.findings.list.itemClicked.emit(item)
    assert window.editor.view.currentIndex() == window.editor.model.index_of("indicators[0].actual")


def test_import_through_the_action(qtbot, window, monkeypatch, tmp_path, seed_b, answers):
    import openpyxl

    from tests.seeds import SEED_A, write_seed_a

    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    write_seed_a(wb.active, dict(SEED_A, code="440303241553147199999", name="新项目"))
    wb.save(other)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(other), str(broken)], ""))
    imported = window.import_files()
    assert [r.outcome for r in imported] == ["new"]
    assert window.list_panel.model.rowCount() == 3
    assert window.editor.form.name == "新项目"
    assert any("broken.xlsx" in said for said in answers.said)


def test_export_xlsx_and_pdf_through_the_actions(qtbot, window, monkeypatch, tmp_path):
    window.editor.edit("indicators[0].reason", "指标偏低，下年调整")
    xlsx, pdf = tmp_path / "out.xlsx", tmp_path / "out.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(xlsx), ""))
    assert window.export_current_xlsx() == xlsx
    assert read_workbook(xlsx).forms[0].form.indicators[0].reason == "指标偏低，下年调整"
    from ui.pdf_actions import SigningDialog

    monkeypatch.setattr(SigningDialog, "exec", lambda self: 1)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    assert window.export_current_pdf() == pdf
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "指标偏低，下年调整" in text and "99.83" in text
    assert window.list_panel.model.rows[0].status == "已导出"


def test_print_preview_draws_the_pdf_pages(qtbot, window, monkeypatch, tmp_path):
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from ui.pdf_actions import SigningDialog, a4_landscape_printer

    monkeypatch.setattr(SigningDialog, "exec", lambda self: 1)
    shown = {}

    def fake_exec(dialog):
        printer = a4_landscape_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        dialog.paintRequested.emit(printer)
        shown["ok"] = True
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    window.print_current()
    assert shown["ok"] and (tmp_path / "printed.pdf").stat().st_size > 10_000
    info = subprocess.run(["pdfinfo", str(tmp_path / "printed.pdf")], capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    width, height = (float(v) for v in next(line for line in info.splitlines()
                                            if line.startswith("Page size:")).split()[2:5:2])
    assert pages == 1 and width > height  # seed A's one page, A4 landscape
    text = subprocess.run(["pdftotext", str(tmp_path / "printed.pdf"), "-"], capture_output=True, text=True).stdout
    assert text.strip() == ""  # the printout is the PDF's pages as pictures, not re-typeset text


def test_marking_checked_is_refused_while_errors_remain(qtbot, window, answers):
    window.editor.edit("indicators[1].score", "12")
    window.mark_checked()
    assert window.list_panel.model.rows[0].status == "填报中"
    assert any("错误" in said for said in answers.said)
    window.editor.edit("indicators[1].score", "15")
    window.editor.edit("indicators[0].reason", "已说明")
    window.mark_checked()
    assert window.list_panel.model.rows[0].status == "已审核"


def test_new_form_and_copy_from_last_year(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    offered = []

    def pick_b(parent, title, label, items, *rest, **kw):
        offered.extend(items)
        return next(item for item in items if "（B，" in item), True

    monkeypatch.setattr(QInputDialog, "getItem", pick_b)
    window.new_form()
    from core.layout_files import known_layouts

    assert len(offered) == len(known_layouts()) >= 2  # every known layout is offered
    assert window.editor.form.layout == "B" and not window.editor.form.template_bound
    assert window.editor.model.rowCount() > 20
    window.list_panel.select(1)
    window.copy_from_last_year()
    assert window.editor.form.year == "2025" and window.editor.form.indicators[0].actual == ""


def test_first_start_offers_the_sample_forms(qtbot, tmp_path):
    with Store(tmp_path / "empty.sqlite3") as store:
        added = add_samples(store)
        assert sorted(r.code for r in added) == ["440303241553147100001", "440303241553147400008"]
        assert add_samples(store) == []  # once only


def test_selftest_builds_the_window_and_exits_0(tmp_path):
    result = run_main("--selftest", "--db", tmp_path / "self.sqlite3")
    assert result.returncode == 0, result.stderr
    assert "自检通过：2 张表" in result.stdout


def test_selftest_names_a_unit_layout_file_it_could_not_use(tmp_path):
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "broken.toml").write_text('id = "UNIT-X"\n', encoding="utf-8")
    result = run_main("--selftest", "--db", tmp_path / "self.sqlite3")
    assert result.returncode == 0, result.stderr
    assert "自检通过：2 张表" in result.stdout
    assert f"；版式文件 {tmp_path / 'layouts' / 'broken.toml'} 有误：name：缺少这个键" in result.stdout
    assert "规则" not in result.stdout  # the rules are fine: the layout file is at fault


def test_selftest_reports_an_unusable_database(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("this is not a database" * 100)
    result = run_main("--selftest", "--db", bad)
    assert result.returncode == 1 and "自检失败" in result.stderr


def test_window_state_is_remembered(qtbot, window, tmp_path):
    window.resize(1111, 777)
    window.splitter.setSizes([300, 811])
    window.remember_folder(str(tmp_path / "somewhere" / "file.xlsx"))
    window.close()
    window.store.close()
    again = make_window(qtbot, window.store.path, tmp_path)
    try:
        # The offscreen screen is small: the window opens maximised there, its placement is remembered.
        assert again.settings.value("window/placement") is not None and again.isMaximized()
        assert again.splitter.sizes()[0] == 300
        assert again.last_folder() == str(tmp_path / "somewhere")
    finally:
        again.close()
        again.store.close()


def test_scores_follow_the_suggestion_shortcut_in_the_window(qtbot, window):
    window.editor.edit("indicators[3].score", "")
    view = window.editor.view
    view.setCurrentIndex(window.editor.model.index_of("indicators[3].score"))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.form.indicators[3].score == Decimal("10.00")


def test_undo_after_a_reimport_does_not_bring_back_the_old_system_fields(qtbot, window, monkeypatch, tmp_path):
    import openpyxl

    from tests.seeds import SEED_A, write_seed_a

    window.editor.edit("indicators[1].reason", "先写一句")
    window.list_panel.select(2)
    changed = tmp_path / "changed.xlsx"
    wb = openpyxl.Workbook()
    write_seed_a(wb.active, dict(SEED_A, name="改过名字的项目"))
    wb.save(changed)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(changed)], ""))
    window.import_files()
    window.list_panel.select(1)
    assert window.editor.form.name == "改过名字的项目"
    assert window.editor.form.indicators[1].reason == "先写一句"  # kept by the re-import
    window.act_undo.trigger()
    window.flush_save()
    assert window.store.form(1).name == "改过名字的项目"


def test_deleting_the_last_form_leaves_nothing_to_edit(qtbot, window, answers):
    window.delete_form()
    window.delete_form()
    assert window.form_id is None and window.editor.form is None
    assert window.editor.model.rowCount() == 0 and not window.act_export_xlsx.isEnabled()
    window.editor.edit("indicators[0].actual", "x")  # nothing happens, nothing breaks
    assert window.findings.list.count() == 0


def test_an_edit_after_export_goes_back_to_in_progress(qtbot, window, monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "x.xlsx"), ""))
    window.export_current_xlsx()
    assert window.list_panel.model.rows[0].status == "已导出"
    window.editor.edit("indicators[1].reason", "导出后又改了")
    window.flush_save()
    assert window.store.get(1).status == "填报中"


def test_huge_numbers_typed_in_a_cell_are_reported_not_fatal(qtbot, window):
    window.editor.edit("indicators[0].points", "1" + "0" * 30)
    assert window.editor.form.indicators[0].points == "1" + "0" * 30
    assert any(f.rule == "NUMBER_FORMAT" and f.field == "indicators[0].points"
               for f in window.editor.evaluation.findings)


def test_the_list_sorts_scores_as_numbers(qtbot, window):
    model, panel = window.list_panel.model, window.list_panel
    model.update_row(1, total_score="100.00")
    model.update_row(2, total_score="99.83")
    panel._sort_by(5)
    shown = [panel.proxy.index(r, 5).data() for r in range(panel.proxy.rowCount())]
    assert shown == ["99.83", "100.00"]


def test_exporting_xlsx_with_check_errors_asks_first(qtbot, window, monkeypatch, tmp_path):
    window.editor.edit("indicators[0].score", "99")  # above its points: SCORE_RANGE, an error
    asked = []

    def answer_no(parent, title, text, *rest):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    target = tmp_path / "x.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert window.export_current_xlsx() is None
    assert asked and "1 个审核错误" in asked[0] and not target.exists()
    assert window.list_panel.model.rows[0].status == "填报中"


def test_a_workbook_of_several_projects_is_exported_whole_and_every_form_marked(qtbot, tmp_path, answers,
                                                                                  monkeypatch):
    from tests.cli.test_export_workbooks import CODES, three_project_workbook

    db = tmp_path / "forms.sqlite3"
    source = three_project_workbook(tmp_path / "system.xlsx")
    with Store(db) as store:
        store.import_workbook(source.name, source.read_bytes(),
                              [(f.sheet, f.form) for f in read_workbook(source).forms])
    window = make_window(qtbot, db, tmp_path)
    try:
        window.open_form(2)
        window.editor.edit("goal_actual", "第二个项目完成")
        suggested = []

        def save_as(parent, title, path, pattern):
            suggested.append(Path(path).name)
            return str(tmp_path / Path(path).name), ""

        monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
        written = window.export_current_xlsx()
        assert suggested == [f"{CODES[0]}_2024_3表.xlsx"] and written == tmp_path / suggested[0]
        # The blank projects have 审核 errors: the clerk was asked, naming each of them.
        assert any("第1个项目" in said and "第3个项目" in said for said in answers.said)
        assert written is not None
        back = {f.sheet: f.form for f in read_workbook(written).forms}
        assert back["项目2"].goal_actual == "第二个项目完成" and len(back) == 3
        assert [row.status for row in window.list_panel.model.rows] == ["已导出"] * 3
        # 只导出本表（新表样）: the open form alone, drawn fresh.
        fresh = window.export_current_fresh_xlsx()
        assert fresh is not None
        from openpyxl import load_workbook

        assert load_workbook(fresh).sheetnames == ["第2个项目"]
    finally:
        window.close()
        window.store.close()


def test_an_export_that_does_not_read_back_is_an_error_message_not_a_crash(qtbot, window, monkeypatch, tmp_path,
                                                                            answers):
    import core.xlsx.patch

    real = core.xlsx.patch.cell_xml
    monkeypatch.setattr(core.xlsx.patch, "cell_xml", lambda *a: real(*a).replace("</c>", "", 1))
    window.editor.edit("indicators[0].reason", "写坏的补丁")
    target = tmp_path / "x.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert window.export_current_xlsx() is None
    assert not target.exists() and any("读回校验不通过" in said for said in answers.said)
    assert window.list_panel.model.rows[0].status == "填报中"


def test_an_import_that_fails_unforeseen_names_the_file_imports_the_rest_and_closes_its_progress(
        qtbot, window, answers, monkeypatch, tmp_path):
    """A bug met by an odd file (once: a lone escaped surrogate, which SQLite could not store) is that
    file's problem; the window's progress box closed, the other files imported."""
    import openpyxl

    import core.importing
    from tests.seeds import SEED_A, write_seed_a

    good, odd = tmp_path / "good.xlsx", tmp_path / "odd.xlsx"
    for path, code in ((good, "440303241553147199998"), (odd, "440303241553147199997")):
        wb = openpyxl.Workbook()
        write_seed_a(wb.active, dict(SEED_A, code=code, name=path.stem))
        wb.save(path)
    read = core.importing.read_workbook_data

    def fails_on_odd(data, name, **options):
        if name.endswith("odd.xlsx"):
            raise RuntimeError("an unforeseen failure")
        return read(data, name, **options)

    monkeypatch.setattr(core.importing, "read_workbook_data", fails_on_odd)
    imported = window.import_files([str(odd), str(good)])
    assert [r.name for r in imported] == ["good"]
    assert QApplication.activeModalWidget() is None
    (said,) = [s for s in answers.said if "odd.xlsx" in s]
    assert "没有导入：程序出错（RuntimeError：an unforeseen failure），请把这个文件交给技术支持" in said


def test_importing_a_file_again_says_whether_it_changed_anything(qtbot, window, answers, tmp_path, seed_a):
    """The same file again changes nothing and says so; a file with another 实际完成值 says that it
    replaced what was there and where to see it (a clerk's walk: every re-import read "已更新")."""
    import openpyxl

    assert window.import_files([str(seed_a)])
    assert "已导入过，没有变化" in answers.said[-1]
    changed = tmp_path / "changed.xlsx"
    workbook = openpyxl.load_workbook(seed_a)
    sheet = workbook.worksheets[0]
    sheet["F11"] = "12个"
    workbook.save(changed)
    (result,) = window.import_files([str(changed)])
    assert result.changed == 1
    assert "已更新，文件中的内容替换了原有内容（审核 → 历史版本 可查看，或恢复导入前的内容）" in answers.said[-1]
