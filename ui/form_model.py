"""The form as a Qt table model over its layout description (core.layouts).

The model is thin: it shows what core returns (cell texts, findings, suggestions) and turns an
edit into a request (`editRequested(path, value)`) that the editor executes as an undo command.
It never changes the form itself.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from core.checks import Evaluation
from core.fields import is_computed, value_at
from core.layouts import Cell, Role, SheetLayout, cell_text, sheet_layout
from core.model import Form
from core.numbers import plain

GREY = QColor("#E4E4E4")
ERROR = QColor("#F8CFCF")
WARNING = QColor("#FFF0B8")
UNLOCKED = QColor("#EEF3FA")

# Roles and alignments looked up once: data() runs thousands of times while the grid is sized.
DISPLAY, EDIT = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole
BACKGROUND, TOOLTIP = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole
FONT, ALIGNMENT = Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
FieldRole = Qt.ItemDataRole.UserRole + 1  # the cell's field path
TITLE_POINTS = 15  # the title's size at zoom 100 %; every other cell uses the grid's font


def editable_text(value) -> str:
    """The text an editor starts with: a number as typed, text as typed, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


class FormModel(QAbstractTableModel):
    editRequested = Signal(str, object)  # field path, new value (str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.form: Form | None = None
        self.evaluation: Evaluation | None = None
        self.layout: SheetLayout | None = None
        self.system_unlocked = False
        self.read_only = False  # the form's layout file is missing: it can be seen, not changed
        self._findings: dict[str, list] = {}
        self._texts: dict[tuple[int, int], str] = {}  # shown texts of the current evaluation
        self._title_font = QFont()
        self._title_font.setPointSize(TITLE_POINTS)
        self._title_font.setBold(True)
        self._bold = QFont()
        self._bold.setBold(True)

    # -- content ------------------------------------------------------------------------
    def set_evaluation(self, evaluation: Evaluation, changed_paths: tuple[str, ...] | None = None) -> None:
        """Show a new state of the form. Repaints only what depends on the change when the
        structure is the same; resets the model when the layout changed."""
        new_layout = sheet_layout(evaluation.form, fallback=True)  # a missing layout file: shown read-only
        old_findings = self._findings
        findings: dict[str, list] = {}
        for finding in evaluation.findings:
            cell = new_layout.cell_of(finding.field)
            findings.setdefault(cell.field if cell is not None and cell.field else finding.field, []).append(finding)
        if self.layout is not new_layout or changed_paths is None:
            self.beginResetModel()
            self.form, self.evaluation, self.layout, self._findings = evaluation.form, evaluation, new_layout, findings
            self._texts.clear()
            self.endResetModel()
            return
        self.form, self.evaluation, self._findings = evaluation.form, evaluation, findings
        dirty = set(changed_paths)
        dirty.update(new_layout.computed_fields)
        dirty.update(k for k in old_findings.keys() | findings.keys() if old_findings.get(k) != findings.get(k))
        # A row's suggestion shows in its score tooltip: repaint scores of edited rows.
        dirty.update(p.rsplit(".", 1)[0] + ".score" for p in changed_paths if p.startswith("indicators["))
        for path in dirty:
            cell = new_layout.cell_of(path)
            if cell is not None:
                self._texts.pop((cell.row, cell.col), None)
                index = self.index(cell.row - 1, cell.col - 1)
                self.dataChanged.emit(index, index)

    def clear(self) -> None:
        self.beginResetModel()
        self.form = self.evaluation = self.layout = None
        self._findings, self._texts = {}, {}
        self.endResetModel()

    def cell(self, index: QModelIndex | QPersistentModelIndex) -> Cell | None:
        """The layout cell whose top-left is at `index` (None outside the sheet or under a merge)."""
        if self.layout is None or not index.isValid():
            return None
        return self.layout.origins.get((index.row(), index.column()))

    def index_of(self, path: str) -> QModelIndex:
        cell = self.layout.cell_of(path) if self.layout else None
        return self.index(cell.row - 1, cell.col - 1) if cell else QModelIndex()

    def findings_at(self, cell: Cell) -> list:
        return self._findings.get(cell.field, []) if cell.field else []

    def is_editable(self, cell: Cell | None) -> bool:
        if cell is None or cell.field is None or is_computed(cell.field) or self.read_only:
            return False
        if cell.role is Role.CLERK:
            return True
        spec = self.layout.spec if self.layout is not None else None
        hand_filled = spec is not None and spec.hand_filled  # no budget system owns its grey cells
        return cell.role is Role.SYSTEM and (self.system_unlocked or hand_filled) and not cell.field.endswith(".level1")

    def read_only_reason(self, index: QModelIndex | QPersistentModelIndex) -> str:
        """Why typing on this cell does nothing, for the line under the grid."""
        cell = self.cell(index)
        if cell is None or cell.field is None:
            return "这是表样印好的文字，不用填写；Tab 跳到下一个可填单元格"
        if self.read_only:
            return "这张表的版式文件缺失，只能查看，不能修改"
        if is_computed(cell.field):
            return "此格由程序按表中数字计算，不能直接填写"
        return "置灰单元格由预算系统填写，这里不能修改；确需修改请用“编辑 → 解锁置灰字段”"

    def set_zoom(self, percent: int) -> None:
        """The title follows the grid's zoom (the other cells take the grid's font)."""
        self._title_font.setPointSizeF(TITLE_POINTS * percent / 100)

    def first_empty_clerk_cell(self) -> QModelIndex:
        """Where a clerk starts typing: the first empty starred cell in reading order (the first
        clerk cell when none is empty; invalid when the form has none)."""
        if self.layout is None:
            return QModelIndex()
        cells = sorted((c for c in self.layout.cells if c.role is Role.CLERK and self.is_editable(c)),
                       key=lambda c: (c.row, c.col))
        for cell in cells:
            index = self.index(cell.row - 1, cell.col - 1)
            if not self.data(index, EDIT):
                return index
        return self.index(cells[0].row - 1, cells[0].col - 1) if cells else QModelIndex()

    def set_system_unlocked(self, unlocked: bool) -> None:
        self.beginResetModel()
        self.system_unlocked = unlocked
        self.endResetModel()

    # -- QAbstractTableModel --------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.layout is None else self.layout.rows

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.layout is None else self.layout.columns

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        cell = self.cell(index)
        if cell is None:
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_editable(cell):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        cell = self.cell(index)
        if cell is None or self.form is None or self.evaluation is None:  # a cell: a form is shown
            return None
        if role == DISPLAY:
            key = (cell.row, cell.col)
            text = self._texts.get(key)
            if text is None:  # the view asks again and again while sizing and painting
                text = self._texts[key] = cell_text(cell, self.form, self.evaluation.computed)
            return text
        if role == EDIT:
            return editable_text(value_at(self.form, self.evaluation.computed, cell.field)) if cell.field else ""
        if role == BACKGROUND:
            findings = self.findings_at(cell)
            if any(f.level == "error" for f in findings):
                return QBrush(ERROR)
            if findings:
                return QBrush(WARNING)
            if cell.role.grey:
                return QBrush(UNLOCKED if self.is_editable(cell) else GREY)
            return None
        if role == TOOLTIP:
            return self._tooltip(cell)
        if role == FONT:
            if cell.role is Role.TITLE:
                return self._title_font
            if cell.bold or cell.role is Role.SECTION:
                return self._bold
            return None
        if role == ALIGNMENT:
            return LEFT if cell.align == "left" else CENTER
        if role == FieldRole:
            return cell.field
        return None

    def _tooltip(self, cell: Cell) -> str | None:
        lines = [("错误：" if f.level == "error" else "提醒：") + f.message for f in self.findings_at(cell)]
        suggestion = self.suggestion_for(cell.field)
        if suggestion is not None and cell.field is not None and cell.field.endswith(".score"):
            if suggestion.score is not None:
                lines.append(f"建议得分 {plain(suggestion.score)}：{suggestion.reason}（Ctrl+Enter 采用）")
            else:
                lines.append(suggestion.reason)
        if cell.role.grey and cell.field and not is_computed(cell.field) and not self.is_editable(cell):
            lines.append("置灰单元格由预算系统填写")
        return "\n".join(lines) or None

    def suggestion_for(self, path: str | None):
        if not path or not path.startswith("indicators[") or self.evaluation is None:
            return None
        index = int(path[len("indicators["):].split("]")[0])
        return self.evaluation.suggestions[index]

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        cell = self.cell(index)
        if role != Qt.ItemDataRole.EditRole or cell is None or cell.field is None or not self.is_editable(cell):
            return False
        if str(value) == self.data(index, Qt.ItemDataRole.EditRole):
            return False
        self.editRequested.emit(cell.field, str(value))
        return True

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return chr(ord("A") + section) if section < 26 else str(section + 1)
        return str(section + 1)
