"""导出自评报告（Word）: the draft 自评报告 of the open form, or of every form selected in the list
(Ctrl/Shift+click, Ctrl+A for all), written by core.self_report.docx.

A report already there may hold what the clerk wrote in Word/WPS: it is only replaced after asking.
Writing a report does not change a form's status (it is a draft beside the form, not the form)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from core.atomic_write import ExportError
from core.checks import Evaluation, evaluate
from core.export import file_stem
from core.self_report.docx import write_report
from core.self_report.template import choose_template, unit_folder
from core.store import StoreError

TITLE = "导出自评报告（Word）"
SUFFIX = "_自评报告.docx"


def report_name(evaluation: Evaluation, form_id: int) -> str:
    form = evaluation.form
    return file_stem(form.code, form.year, f"自评表-{form_id}", form.name, form.implementing_unit) + SUFFIX


def _evaluations(window, ids: list[int]) -> tuple[list[tuple[int, Evaluation]], list[str]]:
    found, problems = [], []
    for form_id in ids:
        if form_id == window.form_id and window.editor.evaluation is not None:
            found.append((form_id, window.editor.evaluation))  # what is on screen, saved a moment ago
            continue
        try:
            found.append((form_id, evaluate(window.store.form(form_id), window.profile)))
        except StoreError as exc:
            problems.append(str(exc))
    return found, problems


def _targets(window, found: list[tuple[int, Evaluation]]) -> list[tuple[Path, Evaluation]] | None:
    """Where each report goes: a file name for one form, a folder for several. None: cancelled."""
    if len(found) == 1:
        form_id, evaluation = found[0]
        suggested = str(Path(window.last_folder()) / report_name(evaluation, form_id))
        # Our own question below says what replacing a report loses; the dialog's would not.
        path, _ = QFileDialog.getSaveFileName(window, TITLE, suggested, "Word 文档 (*.docx)",
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != ".docx":
            target = target.with_name(target.name + ".docx")
        window.remember_folder(str(target))
        return [(target, evaluation)]
    folder = QFileDialog.getExistingDirectory(window, f"{TITLE}：选择保存 {len(found)} 份报告的文件夹",
                                              window.last_folder())
    if not folder:
        return None
    window.settings.setValue("window/last_folder", folder)
    targets, seen = [], set()
    for form_id, evaluation in found:
        name = report_name(evaluation, form_id)
        if name.casefold() in seen:  # two forms of one project and year
            name = name.replace(SUFFIX, f"-{form_id}{SUFFIX}")
        seen.add(name.casefold())
        targets.append((Path(folder) / name, evaluation))
    return targets


def _overwrite(window, targets: list[tuple[Path, Evaluation]]) -> tuple[list[tuple[Path, Evaluation]], bool] | None:
    """Ask before replacing reports that exist. Returns the targets to write and whether to replace
    (None: cancelled); "否" skips the existing reports and writes the others."""
    existing = [path for path, _ in targets if path.exists()]
    if not existing:
        return targets, False
    names = "\n".join(f"  {path.name}" for path in existing[:10])
    if len(existing) > 10:
        names += f"\n  ……等 {len(existing)} 份"
    several = len(targets) > 1
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    if several:
        buttons |= QMessageBox.StandardButton.Cancel
    answer = QMessageBox.question(
        window, TITLE, f"以下自评报告已存在，其中可能有您在 Word/WPS 中修改过的内容：\n{names}\n\n"
        + ("覆盖这些报告吗？选“否”则跳过它们，只生成其余的报告。" if several else "覆盖这份报告吗？"),
        buttons, QMessageBox.StandardButton.No)
    if answer == QMessageBox.StandardButton.Yes:
        return targets, True
    if answer == QMessageBox.StandardButton.No and several:
        return [(path, evaluation) for path, evaluation in targets if not path.exists()], False
    return None


def export_reports(window) -> list[Path]:
    """Write the report of the selected forms (the open form when the list selects no other).
    Returns the files written."""
    if window.form_id is None or not window.flush_save():
        return []
    ids = window.list_panel.selected_ids() or [window.form_id]
    found, problems = _evaluations(window, ids)
    if not found:
        window.error("\n".join(problems) or "没有可导出的表")
        return []
    targets = _targets(window, found)
    if targets is None:
        return []
    decided = _overwrite(window, targets)
    if decided is None:
        return []
    targets, overwrite = decided
    written, notices = [], []
    folder = unit_folder(window.store.path)
    for path, evaluation in targets:
        choice = choose_template(evaluation.form.layout, folder)
        problems.extend(p for p in choice.problems if p not in problems)
        if choice.template is None:
            continue
        try:
            notices.extend(write_report(path, evaluation, choice.template, overwrite=overwrite))
        except ExportError as exc:
            problems.append(str(exc))
            continue
        except Exception as exc:  # a bug must not lose the window: nothing was written under `path`
            problems.append(f"导出 {path} 失败（{type(exc).__name__}：{exc}），文件未保存")
            continue
        written.append(path)
    _tell(window, written, notices, problems)
    return written


def _tell(window, written: list[Path], notices: list[str], problems: list[str]) -> None:
    lines = []
    if written:
        lines.append(f"已生成 {len(written)} 份自评报告（草稿，请在 Word/WPS 中补充、修改后再报送）：")
        lines += [f"  {path}" for path in written]
    if notices:
        lines += ["", "提醒："] + [f"  {notice}" for notice in notices]
    if problems:
        lines += ["", f"{len(problems)} 个问题："] + [f"  {problem}" for problem in problems]
    if problems:
        QMessageBox.warning(window, TITLE, "\n".join(lines))
    elif lines:
        QMessageBox.information(window, TITLE, "\n".join(lines))
    if written:
        window.statusBar().showMessage(f"已生成自评报告：{written[0]}" if len(written) == 1
                                       else f"已生成 {len(written)} 份自评报告", 10000)
