"""The main window: form list on the left, the open form on the right, findings below, the whole
workflow in menus and a toolbar. It holds the one open store and passes it on; it never computes
anything itself — core does, the window shows it."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLabel, QMainWindow, QMessageBox, QProgressDialog, QSplitter

from core import APP_NAME, __version__
from core.checks import Evaluation
from core.layout_files import known_layouts, layout_spec
from core.layouts import UnknownLayoutError, blank_form, points_format
from core.model import CHECKED, EXPORTED, IN_PROGRESS, Form
from core.numbers import format_number
from core.profile import Profile, rules_text
from core.samples import forget_sample, sample_ids
from core.store import DuplicateFormError, ImportResult, Store, StoreError
from core.store.unit_settings import UnitSettings
from ui.edit_rollback import EditRollback
from ui.findings_panel import FindingsPanel
from ui.focus_cycle import PaneCycle
from ui.form_editor import FormEditor
from ui.form_list import SAMPLE_MARK, UNNAMED, FormListPanel
from ui.geometry import place_window, remember_placement
from ui.zoom import GridZoom

if TYPE_CHECKING:
    from ui.summary_dialog import SummaryDialog

AUTOSAVE_MS = 600  # an edit reaches the disk within a second
LAST_FORM_KEY, LAST_FORM_DB_KEY = "window/last_form", "window/last_form_db"


class MainWindow(QMainWindow):
    filled = Signal()  # the list and the form used last are shown (start-up measures up to here)

    def __init__(self, store: Store, profile: Profile, settings: QSettings | None = None, fill: bool = True):
        """`fill=False` builds the window empty; ui.app shows it and calls fill() once it has painted."""
        super().__init__()
        self.store = store
        self.profile = profile
        self.settings = settings or QSettings()
        self.form_id: int | None = None
        self.status_of_form = IN_PROGRESS
        self.stacks: dict[int, QUndoStack] = {}
        self.undo_group = QUndoGroup(self)
        self._pending: tuple[int | None, Form] | None = None  # (form_id, form) waiting for the autosave timer
        self.samples = sample_ids(store)  # the 示例 forms not edited yet
        self.has_filled = False
        self.summary_dialog: SummaryDialog | None = None  # 审核 → 汇总表, once opened

        self.setWindowTitle(APP_NAME)
        self.list_panel = FormListPanel(self)
        self.editor = FormEditor(profile, self)
        self.findings = FindingsPanel(self)
        self.right = QSplitter(Qt.Orientation.Vertical, self)
        self.right.addWidget(self.editor)
        self.right.addWidget(self.findings)
        self.right.setStretchFactor(0, 4)
        self.right.setStretchFactor(1, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list_panel)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.splitter)
        self.score_label = QLabel(self)
        self.save_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.score_label)
        self.statusBar().addPermanentWidget(self.save_label)
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.placement = place_window(self, self.settings)
        self.zoom = GridZoom(self.editor.view, self.settings, parent=self)
        self.statusBar().addPermanentWidget(self.zoom.label)
        self.panes = PaneCycle(self, [(self.list_panel, self.list_panel.table), (self.editor, self.editor.view),
                                      (self.findings, self.findings.list)])
        self._build_actions()
        self._connect()
        self._restore_state()
        self.rollback = EditRollback(self)
        self._update_actions()
        if fill:
            self.fill()

    def fill(self) -> None:
        """Show the list and open the form used last (the first form if that one is gone)."""
        self.refresh_list(select=self._last_form_id())
        self._update_actions()
        self.editor.view.setFocus()  # start typing at once: the cursor is on the first empty clerk cell
        self.has_filled = True
        self.filled.emit()

    # -- construction -------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip or text)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.act_new = a("新建表", self.new_form, QKeySequence.StandardKey.New,
                         "新建一张空白自评表（选择 A 版或 B 版）")
        self.act_copy = a("从上年复制", self.copy_from_last_year, None, "以当前表为基础新建下一年度的表")
        self.act_import = a("导入 xlsx…", self.import_files, QKeySequence.StandardKey.Open, "导入预算系统导出的 xlsx")
        self.act_export_xlsx = a("导出 xlsx…", self.export_current_xlsx, "Ctrl+E", "导出可导入预算系统的 xlsx")
        self.act_export_fresh = a("只导出本表（新表样）…", self.export_current_fresh_xlsx, None,
                                  "只导出当前表，按官方表样重新生成（不写入原工作簿的副本）")
        self.act_export_pdf = a("导出 PDF…", self.export_current_pdf, "Ctrl+Shift+E", "导出供签字盖章的 PDF")
        self.act_export_report = a("导出自评报告（Word）…", self.export_report, None,
                                   "根据当前表（或在表清单中选中的多张表）起草项目支出绩效自评报告（.docx）")
        self.act_print = a("打印…", self.print_current, QKeySequence.StandardKey.Print, "打印预览与打印")
        self.act_save = a("保存", self.save_checkpoint, QKeySequence.StandardKey.Save, "保存并开始一个新的历史版本")
        self.act_backup = a("备份数据库…", self.backup, None)
        self.act_restore_backup = a("从备份恢复…", self.restore_backup, None)
        self.act_quit = a("退出", self.close, QKeySequence.StandardKey.Quit)
        self.act_undo = self.undo_group.createUndoAction(self, "撤销")
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_redo = self.undo_group.createRedoAction(self, "重做")
        # Both habits, each bound once (StandardKey.Redo would bind Ctrl+Y a second time on Windows).
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.act_find = a("查找表", lambda: self.list_panel.search.setFocus(), QKeySequence.StandardKey.Find)
        self.act_accept = a("采用建议得分", lambda: self._accept(current=True), "Ctrl+Return")
        self.act_accept.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.act_accept_all = a("全部采用建议得分", lambda: self._accept(current=False))
        self.act_unlock = a("解锁置灰字段", self.toggle_unlock)
        self.act_unlock.setCheckable(True)
        self.act_check = a("审核", self.run_check, "F5", "重新审核当前表并显示问题")
        self.act_mark_checked = a("标记为已审核", self.mark_checked)
        self.act_history = a("历史版本…", self.show_history)
        self.act_summary = a("汇总表…", self.show_summary, None,
                             "一个年度全部项目的绩效自评结果汇总表：合计、平均、等级分布，可导出 xlsx 和 PDF")
        self.act_delete = a("删除表…", self.delete_form)
        self.act_settings = a("单位设置…", self.show_settings)
        self.act_about = a("关于", self.show_about)
        self.act_help = a("帮助", self.show_help, QKeySequence.StandardKey.HelpContents,
                          "工作流程、快捷键和数据存放位置（F1）")

        menu = self.menuBar()
        file_menu = menu.addMenu("文件(&F)")
        for action in (self.act_new, self.act_copy, self.act_import, None, self.act_save, self.act_export_xlsx,
                       self.act_export_fresh, self.act_export_pdf, self.act_export_report, self.act_print, None,
                       self.act_delete, None, self.act_backup,
                       self.act_restore_backup, None, self.act_quit):
            file_menu.addSeparator() if action is None else file_menu.addAction(action)
        edit_menu = menu.addMenu("编辑(&E)")
        for action in (self.act_undo, self.act_redo, None, self.act_accept_all, self.act_unlock, None, self.act_find):
            edit_menu.addSeparator() if action is None else edit_menu.addAction(action)
        view_menu = menu.addMenu("视图(&V)")
        for action in (self.zoom.act_in, self.zoom.act_out, self.zoom.act_reset, None, self.zoom.act_fit, None,
                       *self.panes.actions()):
            view_menu.addSeparator() if action is None else view_menu.addAction(action)
        form_menu = menu.addMenu("审核(&C)")
        for action in (self.act_check, self.act_mark_checked, None, self.act_history, None, self.act_summary):
            form_menu.addSeparator() if action is None else form_menu.addAction(action)
        settings_menu = menu.addMenu("设置(&S)")
        settings_menu.addAction(self.act_settings)
        help_menu = menu.addMenu("帮助(&H)")
        help_menu.addAction(self.act_help)
        help_menu.addAction(self.act_about)

        toolbar = self.addToolBar("常用")
        toolbar.setObjectName("main-toolbar")
        for action in (self.act_new, self.act_import, self.act_save, None, self.act_undo, self.act_redo, None,
                       self.act_check, self.act_accept_all, None, self.act_export_xlsx, self.act_export_pdf,
                       self.act_print):
            toolbar.addSeparator() if action is None else toolbar.addAction(action)
        from ui.icons import decorate

        decorate(self)

    def _connect(self) -> None:
        self.list_panel.formActivated.connect(self.open_form)
        self.editor.formChanged.connect(self.save_later)
        self.editor.evaluated.connect(self._evaluated)
        self.findings.jumpTo.connect(self.editor.jump_to)
        self.autosave.timeout.connect(self.write_pending)
        self.editor.view.addAction(self.act_accept)

    # -- state ------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        for key, splitter in (("window/splitter", self.splitter), ("window/right", self.right)):
            state = self.settings.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
            elif splitter is self.splitter:
                width = self.placement.rect.width
                splitter.setSizes([min(420, max(300, width * 28 // 100)), width])

    def _save_state(self) -> None:
        remember_placement(self, self.settings)
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/right", self.right.saveState())

    def last_folder(self) -> str:
        return str(self.settings.value("window/last_folder", str(Path.home())))

    def remember_folder(self, path: str) -> None:
        self.settings.setValue("window/last_folder", str(Path(path).parent))

    def _update_actions(self) -> None:
        has_form = self.form_id is not None
        for action in (self.act_copy, self.act_export_xlsx, self.act_export_fresh, self.act_export_pdf,
                       self.act_export_report, self.act_print,
                       self.act_save, self.act_accept_all, self.act_unlock, self.act_check, self.act_mark_checked,
                       self.act_history,
                       self.act_delete):
            action.setEnabled(has_form)
        if self.editor.model.read_only:  # the form's layout file is missing: it can be seen, not written
            for action in (self.act_copy, self.act_export_xlsx, self.act_export_fresh, self.act_export_pdf,
                           self.act_export_report, self.act_print, self.act_accept_all, self.act_unlock,
                           self.act_mark_checked):
                action.setEnabled(False)

    def _show_nothing_if_no_form(self) -> None:
        if self.form_id is None:
            self.editor.close_form()
            self.findings.show_evaluation(None)
            self.score_label.clear()
            self.save_label.clear()
            self.setWindowTitle(APP_NAME)
        self._update_actions()

    # -- list and opening -------------------------------------------------------------------
    def refresh_list(self, select: int | None = None) -> None:
        try:
            rows = self.store.list_forms()
        except StoreError as exc:
            self.error(str(exc))
            return
        self.list_panel.set_forms(rows, self.samples)
        target = select if select is not None else self.form_id
        if (target is None or self.list_panel.model.row_of(target) is None) and rows:
            target = rows[0].id
        if target is not None:
            self.list_panel.select(target, emit=self.form_id != target)

    def open_form(self, form_id: int) -> None:
        if form_id == self.form_id:
            return
        self.flush_save()
        try:
            stored = self.store.get(form_id)
        except StoreError as exc:
            self.error(str(exc))
            return
        self.form_id = form_id
        self.status_of_form = stored.status
        stack = self.stacks.get(form_id)
        if stack is None:
            stack = self.stacks[form_id] = QUndoStack(self.undo_group)
        self.undo_group.setActiveStack(stack)
        self.act_unlock.setChecked(False)
        self.editor.model.system_unlocked = False
        missing = layout_spec(stored.form.layout) is None
        self.editor.model.read_only = missing
        self.editor.open(stored.form, stack)
        if missing:
            message = UnknownLayoutError(stored.form.layout).args[0]
            self.statusBar().showMessage(message, 15000)
            QTimer.singleShot(0, lambda: QMessageBox.information(self, "版式文件缺失", message))
        self.findings.show_evaluation(self.editor.evaluation)  # at once: a form was opened, not typed in
        self.save_label.setText(f"已保存 {stored.updated[11:19]}")
        self._update_title(stored.form.name)
        self.settings.setValue(LAST_FORM_KEY, form_id)
        self.settings.setValue(LAST_FORM_DB_KEY, str(self.store.path))
        self._update_actions()

    def _update_title(self, name: str) -> None:
        mark = SAMPLE_MARK if self.form_id in self.samples else ""
        self.setWindowTitle(f"{mark}{name.strip() or UNNAMED} - {APP_NAME}")

    def _last_form_id(self) -> int | None:
        """The form open when this database was last closed (None for another database)."""
        if str(self.settings.value(LAST_FORM_DB_KEY, "")) != str(self.store.path):
            return None
        try:
            return int(self.settings.value(LAST_FORM_KEY))
        except (TypeError, ValueError):
            return None

    def _no_longer_sample(self, form_id: int) -> None:
        """An edited or deleted sample loses its 示例 mark (kept in the database)."""
        if form_id not in self.samples:
            return
        self.samples.discard(form_id)
        self.list_panel.model.samples.discard(form_id)
        with suppress(StoreError):  # only the mark: it comes back at the next start, the form itself is saved
            forget_sample(self.store, form_id)

    # -- saving ------------------------------------------------------------------------------
    def save_later(self, form: Form) -> None:
        self._pending = (self.form_id, form)
        self.save_label.setText("正在保存…")
        self.autosave.start()

    def drop_pending(self) -> None:
        self.autosave.stop()
        self._pending = None

    def flush_save(self, checkpoint: bool = False) -> bool:
        """Finish a cell edit still open in the grid, then write the pending edit now. Returns
        False (and says why) when the disk refused it."""
        self.editor.finish_editing()
        return self.write_pending(checkpoint)

    def write_pending(self, checkpoint: bool = False) -> bool:
        """Write the pending edit now, leaving a cell editor open (autosave while typing)."""
        self.autosave.stop()
        pending, self._pending = self._pending, None
        if pending is None and not checkpoint:
            return True
        form_id, form = pending if pending else (self.form_id, self.editor.form)
        if form_id is None or form is None:
            return True
        try:
            saved = self.store.save(form_id, form, checkpoint=checkpoint)
            if saved.changed:
                self._no_longer_sample(form_id)
        except StoreError as exc:
            self._pending = pending  # keep it: the next attempt (or the close) retries
            self.save_label.setText("未保存！")
            self.error(f"保存失败，修改仍在窗口中：{exc}")
            return False
        if form_id == self.form_id:
            self.status_of_form = saved.status  # an edit after 已审核/已导出 is back to 填报中
        stamp = datetime.now().strftime("%H:%M:%S")
        self.save_label.setText(f"已保存 {stamp}")
        evaluation = self.editor.evaluation
        if evaluation is not None and form_id == self.form_id:
            total = format_number(evaluation.computed.total_score, points_format(form.layout))
            self.list_panel.model.update_row(form_id, total_score=total, name=form.name, code=form.code,
                                             status=saved.status,
                                             updated=datetime.now().isoformat(timespec="seconds"))
            self._update_title(form.name)
        return True

    def save_checkpoint(self) -> None:
        if self.flush_save(checkpoint=True) and self.editor.stack is not None:
            self.editor.stack.setClean()

    def _evaluated(self, evaluation: Evaluation) -> None:
        computed = evaluation.computed
        fmt = points_format(evaluation.form.layout)
        self.score_label.setText(f"总分 {format_number(computed.total_score, fmt)}  等级 {computed.grade}  "
                                 f"错误 {len(evaluation.errors)}  提醒 {len(evaluation.warnings)}")
        self.findings.show_later(evaluation)

    def closeEvent(self, event) -> None:
        if not self.flush_save():
            answer = QMessageBox.warning(self, "尚未保存", "最后的修改没能写入数据库。仍要退出吗？",
                                         QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self._save_state()
        event.accept()

    # -- actions -----------------------------------------------------------------------------
    def error(self, message: str) -> None:
        QMessageBox.critical(self, APP_NAME, message)

    def new_form(self) -> None:
        specs = known_layouts()
        choices = [f"{spec.name}（{spec.id}，金额单位{spec.money_unit}）" for spec in specs]
        choice, ok = QInputDialog.getItem(self, "新建表", "选择表样版式：", choices, 0, False)
        if not ok:
            return
        layout_id = specs[choices.index(choice)].id
        form = blank_form(layout_id, self.profile.for_layout(layout_id).funds_points)
        self.flush_save()
        try:
            form_id = self.store.create_form(form)
        except StoreError as exc:
            self.error(str(exc))
            return
        self.refresh_list(select=form_id)
        self.open_form(form_id)

    def copy_from_last_year(self) -> None:
        if self.form_id is None:
            return
        self.flush_save()
        try:
            new_id = self.store.copy_to_next_year(self.form_id)
        except DuplicateFormError as exc:
            self._offer_existing(exc)
            return
        except StoreError as exc:
            self.error(str(exc))
            return
        self.refresh_list(select=new_id)
        self.open_form(new_id)
        self.statusBar().showMessage(
            "已复制为下一年度的新表：实际完成情况、实际完成值、得分、偏差原因和评价结论等文字已清空", 8000)

    def _offer_existing(self, exc: DuplicateFormError) -> None:
        """下一年度的表已经有了: say so (not as an error) and offer to open it."""
        box = QMessageBox(QMessageBox.Icon.Information, "从上年复制", f"{exc}。\n要打开这张表吗？",
                          QMessageBox.StandardButton.NoButton, self)
        open_button = box.addButton("打开这张表", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(open_button)
        box.exec()
        if box.clickedButton() is open_button and exc.form_id is not None:
            self.list_panel.select(exc.form_id)

    def import_files(self, paths: list[str] | None = None) -> list:
        from core.importing import import_file  # openpyxl loads when first needed, not at start-up

        if not paths:
            paths, _ = QFileDialog.getOpenFileNames(self, "导入 xlsx", self.last_folder(),
                                                    "Excel 工作簿 (*.xlsx *.xlsm)")
        if not paths:
            return []
        self.remember_folder(paths[0])
        self.flush_save()
        progress = QProgressDialog("正在导入…", "取消", 0, len(paths), self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        imported: list[ImportResult] = []
        problems: list[str] = []
        notices: list[str] = []
        for number, path in enumerate(paths):
            if progress.wasCanceled():
                problems.append(f"已取消：其余 {len(paths) - number} 个文件未导入")
                break
            progress.setLabelText(f"正在导入 {Path(path).name}（{number + 1}/{len(paths)}）")
            progress.setValue(number)
            result = import_file(self.store, path)
            problems.extend(p.line() for p in result.problems)
            notices.extend(w.line() for w in result.warnings)
            imported.extend(result.results)
        progress.setValue(len(paths))
        if imported:
            # An undo step holds a whole form: undoing an edit made before the import would bring
            # back the old system fields, so the imported forms start a new undo history.
            current = self.form_id
            for item in imported:
                self.stacks.pop(item.id, None)
                if item.outcome == "updated":
                    self._no_longer_sample(item.id)
            if current in {r.id for r in imported}:
                self.form_id = None
            self.refresh_list(select=imported[-1].id)
            self.open_form(imported[-1].id)
        lines = [f"导入 {len(imported)} 张表。"] + [
            f"  {r.name or '（未命名）'}（{r.year} 年，{_identified_by(r)}）：{_import_outcome(r)}"
            for r in imported]
        if problems:
            lines += ["", f"{len(problems)} 个问题："] + [f"  {p}" for p in problems]
        if notices:
            lines += ["", "提醒："] + [f"  {n}" for n in notices]
        box = QMessageBox.warning if problems else QMessageBox.information
        box(self, "导入结果", "\n".join(lines))
        return imported

    def _reload_current(self) -> None:
        form_id, self.form_id = self.form_id, None
        if form_id is None:
            return
        self.stacks.pop(form_id, None)
        self.open_form(form_id)

    def ask_export_path(self, title: str, suffix: str, pattern: str, stem: str | None = None) -> Path | None:
        """Save the pending edit, then ask where to write the open form ({项目名称}_{项目编码}_{年度}
        proposed; `stem` instead for a file holding several forms)."""
        from core.file_names import suggested_file_name

        if self.form_id is None or not self.flush_save():
            return None
        form = self.editor.form
        if form is None:
            return None
        folder = self.last_folder()
        suggested = stem + suffix if stem else suggested_file_name(form.name, form.code, form.year, suffix, folder)
        return self._save_path(title, suggested, pattern)

    def _save_path(self, title: str, suggested: str, pattern: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path(self.last_folder()) / suggested), pattern)
        if not path:
            return None
        self.remember_folder(path)
        return Path(path)

    def export_current_xlsx(self, fresh: bool = False) -> Path | None:
        """导出 xlsx: into a copy of the system's workbook (every form of it, filled from the
        database) when the form came from one, else a fresh sheet; `fresh` draws this form alone."""
        from core.checks import evaluate
        from core.export import export_job, stored_job
        from core.xlsx.writer import XlsxOptions

        if self.form_id is None or not self.flush_save():
            return None
        try:
            job = stored_job(self.store, self.form_id, lambda form: evaluate(form, self.profile))
        except Exception as exc:  # a damaged stored workbook or a bug: say so, never crash
            self.error(f"无法准备导出：{exc}")
            return None
        if fresh:
            job = job.fresh()
        flawed = [e.evaluation for e in job.filled if e.evaluation is not None and e.evaluation.errors]
        if flawed:
            names = "\n".join(f"  {e.form.name or e.form.code or '（未命名）'}：{len(e.errors)} 个错误" for e in flawed)
            question = (f"以下表还有审核错误：\n{names}\n\n仍要导出 xlsx 吗？" if len(job.filled) > 1
                        else f"本表还有 {len(flawed[0].errors)} 个审核错误（见下方审核结果）。仍要导出 xlsx 吗？")
            answer = QMessageBox.question(self, "导出 xlsx", question,
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return None
        path = self.ask_export_path("导出 xlsx", ".xlsx", "Excel 工作簿 (*.xlsx)",
                                    job.stem("自评表") if job.several else None)
        if path is None:
            return None
        options = XlsxOptions(protect_sheet=UnitSettings.from_store(self.store).protect_sheet)
        # The file dialog already asked before replacing an existing file: force=True.
        return self.finish_export(path, lambda: export_job(path, job, force=True, options=options), job.form_ids)

    def export_current_fresh_xlsx(self) -> Path | None:
        return self.export_current_xlsx(fresh=True)

    def finish_export(self, path: Path, write, form_ids: tuple[int, ...] | None = None) -> Path | None:
        """Run an export (`write()` returns warnings), record its forms as 已导出 and tell the clerk."""
        from core.atomic_write import ExportError

        if form_ids is None:
            form_ids = () if self.form_id is None else (self.form_id,)
        try:
            warnings = write()
        except ExportError as exc:
            self.error(str(exc))
            return None
        except Exception as exc:  # a bug must not lose the window: nothing was written under `path`
            self.error(f"导出 {path} 失败（{type(exc).__name__}：{exc}），文件未保存")
            return None
        try:
            for form_id in form_ids:
                self.store.mark_exported(form_id)
        except StoreError as exc:
            self.error(f"文件已导出到 {path}，但未能记录“已导出”状态：{exc}")
        else:
            for form_id in form_ids:
                self.list_panel.model.update_row(form_id, status=EXPORTED)
            if self.form_id in form_ids:
                self.status_of_form = EXPORTED
        message = f"已导出：{path}"
        if len(form_ids) > 1:
            message += f"（工作簿中的 {len(form_ids)} 张表）"
        if warnings:
            QMessageBox.warning(self, "导出", "\n".join([message, *warnings]))
        self.statusBar().showMessage(message, 10000)
        return path

    def export_current_pdf(self) -> Path | None:
        from core.pdf.writer import write_pdf
        from ui.pdf_actions import ask_signing

        path = self.ask_export_path("导出 PDF", ".pdf", "PDF 文件 (*.pdf)")
        if path is None:
            return None
        evaluation = self.editor.evaluation
        if self.form_id is None or evaluation is None:  # both set when a path was asked for
            return None
        options = ask_signing(self, self.store, self.form_id, bool(evaluation.errors))
        if options is None:
            return None
        return self.finish_export(path, lambda: write_pdf(path, [evaluation], options))

    def export_report(self) -> list[Path]:
        from ui.report_actions import export_reports

        return export_reports(self)

    def print_current(self) -> None:
        from core.pdf.writer import render_pdf
        from ui.pdf_actions import ask_signing, preview_and_print

        if self.form_id is None or not self.flush_save():
            return
        evaluation = self.editor.evaluation
        if evaluation is None:
            return
        options = ask_signing(self, self.store, self.form_id, bool(evaluation.errors))
        if options is None:
            return
        try:
            data, warnings = render_pdf([evaluation], options)
        except Exception as exc:  # a font or layout failure: say so, never lose the window
            self.error(f"无法生成打印内容（{type(exc).__name__}：{exc}）")
            return
        if warnings:
            self.statusBar().showMessage("；".join(warnings), 10000)
        if preview_and_print(self, self.settings, data):
            self.statusBar().showMessage("已发送到打印机", 8000)

    def backup(self) -> None:
        self.flush_save()
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        path = self._save_path("备份数据库", f"自评表备份-{stamp}.db", "数据库备份 (*.db)")
        if path is None:
            return
        try:
            self.store.backup(path, overwrite=True)
        except StoreError as exc:
            self.error(str(exc))
            return
        self.statusBar().showMessage(f"已备份到 {path}", 10000)

    def restore_backup(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "从备份恢复", self.last_folder(), "数据库备份 (*.db);;所有文件 (*)")
        if not path:
            return
        answer = QMessageBox.warning(
            self, "从备份恢复", f"用备份 {path} 替换当前数据库中的全部内容？\n当前数据库会先自动另存一份。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.flush_save()
        try:
            kept = self.store.restore_backup(path)
        except StoreError as exc:
            self.error(str(exc))
            return
        self.stacks.clear()
        self.form_id = None
        self.samples = sample_ids(self.store)
        self.refresh_list()
        self._show_nothing_if_no_form()
        QMessageBox.information(self, "从备份恢复", f"已恢复。原数据库已另存为：{kept}")

    def _accept(self, current: bool) -> None:
        if self.form_id is None:
            return
        row = self.editor.current_row() if current else None
        if current and row is None:
            return
        self.editor.accept_suggestion(row)

    def toggle_unlock(self, checked: bool) -> None:
        if checked:
            answer = QMessageBox.warning(
                self, "解锁置灰字段",
                "置灰单元格由预算管理一体化系统填写，修改后导入系统可能与系统数据不一致，后果自负。\n确定要解锁吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                self.act_unlock.setChecked(False)
                return
        self.editor.model.set_system_unlocked(checked)

    def run_check(self) -> None:
        if self.form_id is None:
            return
        evaluation = self.editor.recheck()
        if evaluation is None:
            return
        self.findings.show_evaluation(evaluation)  # F5: the list now, not after the typing pause
        if evaluation.findings:
            self.findings.list.setCurrentRow(0)
            self.editor.jump_to(evaluation.findings[0].field)
        self.statusBar().showMessage(
            f"审核完成：{len(evaluation.errors)} 个错误，{len(evaluation.warnings)} 个提醒", 8000)

    def mark_checked(self) -> None:
        if self.form_id is None or self.editor.evaluation is None or not self.flush_save():
            return
        errors = self.editor.evaluation.errors
        if errors:
            QMessageBox.warning(self, "标记为已审核", f"还有 {len(errors)} 个错误，改正后才能标记为已审核。\n"
                                f"第一个：{errors[0].message}")
            self.editor.jump_to(errors[0].field)
            return
        try:
            self.store.set_status(self.form_id, CHECKED)
        except StoreError as exc:
            self.error(str(exc))
            return
        self.status_of_form = CHECKED
        self.list_panel.model.update_row(self.form_id, status=CHECKED)
        self.statusBar().showMessage("已标记为已审核", 8000)

    def show_history(self) -> None:
        from ui.history_dialog import HistoryDialog

        if self.form_id is None or not self.flush_save():
            return
        dialog = HistoryDialog(self.store, self.form_id, self)
        if dialog.exec() and dialog.restored:
            self._reload_current()
            self.statusBar().showMessage(f"已恢复到第 {dialog.restored} 版（原状态也保留在历史中）", 8000)

    def show_summary(self):
        """审核 → 汇总表: the year of the open form (or the latest), in a window beside this one."""
        from ui.summary_dialog import SummaryDialog

        self.flush_save()  # the summary reads the database: the last keystroke must be in it
        form = self.editor.form
        year = form.year if self.form_id is not None and form is not None else None
        dialog = self.summary_dialog
        if dialog is None:
            dialog = self.summary_dialog = SummaryDialog(self.store, self.profile, year, self, self.settings)
            dialog.formActivated.connect(self.open_from_summary)
        else:  # opened again: the forms may have changed meanwhile
            dialog.start_at(year if not dialog.isVisible() else None)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def open_from_summary(self, form_id: int) -> None:
        """A double-click in the summary: that form, here."""
        self.list_panel.select(form_id)
        if self.form_id != form_id:
            self.open_form(form_id)
        self.raise_()
        self.activateWindow()

    def delete_form(self) -> None:
        form = self.editor.form
        if self.form_id is None or form is None:
            return
        answer = QMessageBox.warning(self, "删除表",
                                     f"确定删除“{form.name or form.code or '未命名'}”及其全部历史版本？\n"
                                     "此操作不能撤销（建议先备份数据库）。",
                                     QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.autosave.stop()
        self._pending = None
        try:
            self.store.delete_form(self.form_id)
        except StoreError as exc:
            self.error(str(exc))
            return
        self.stacks.pop(self.form_id, None)
        self._no_longer_sample(self.form_id)
        self.form_id = None
        self.refresh_list()
        self._show_nothing_if_no_form()

    def show_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.store, self)
        if dialog.exec() and dialog.profile is not None:
            self.profile = dialog.profile
            self.editor.set_profile(dialog.profile)
            if self.summary_dialog is not None:
                self.summary_dialog.profile = dialog.profile
                if self.summary_dialog.isVisible():
                    self.summary_dialog.reload()

    def show_help(self) -> None:
        from ui.help_page import HelpDialog

        dialog = getattr(self, "help_dialog", None) or HelpDialog(self)
        self.help_dialog = dialog
        dialog.refresh()  # the database or the rule profile may have changed since it was last shown
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def show_about(self) -> None:
        QMessageBox.about(self, "关于", f"{APP_NAME} {__version__}\n\n项目支出绩效自评表离线填报工具。\n"
                          f"数据库：{self.store.path}\n规则配置：{rules_text(self.profile)}")


def _import_outcome(result: ImportResult) -> str:
    if result.outcome == "new":
        return "新增"
    if not result.changed:
        return "已导入过，没有变化"
    # No count: rows are compared by position, so one inserted row would read as dozens of changes.
    return "已更新，文件中的内容替换了原有内容（审核 → 历史版本 可查看，或恢复导入前的内容）"


def _identified_by(result: ImportResult) -> str:
    """How the import summary names a form: its code, or its 实施单位 where the layout has no code."""
    return f"项目编码 {result.code}" if result.code else f"实施单位 {result.unit or '无'}"
