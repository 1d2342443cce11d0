"""单位设置: signatories and contact for the PDF, the PDF font, the rule profile, sheet protection."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from core.profile import load_profile, shipped_profiles
from core.store import StoreError
from core.store.unit_settings import UnitSettings


def _file_row(parent, edit: QLineEdit, title: str, pattern: str) -> QWidget:
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    button = QPushButton("选择…", row)
    button.clicked.connect(lambda: _choose(parent, edit, title, pattern))
    layout.addWidget(button)
    return row


def _choose(parent, edit: QLineEdit, title: str, pattern: str) -> None:
    path, _ = QFileDialog.getOpenFileName(parent, title, edit.text(), pattern)
    if path:
        edit.setText(path)


class SettingsDialog(QDialog):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.setWindowTitle("单位设置")
        self.store = store
        self.profile = None  # the new rule profile, when it changed and loaded
        self.current = UnitSettings.from_store(store)
        self.unit_leader = QLineEdit(self.current.unit_leader, self)
        self.finance_leader = QLineEdit(self.current.finance_leader, self)
        self.preparer = QLineEdit(self.current.preparer, self)
        self.phone = QLineEdit(self.current.phone, self)
        self.pdf_font = QLineEdit(self.current.pdf_font, self)
        self.pdf_font.setPlaceholderText("留空：自动使用系统的宋体或程序自带字体")
        self.rule_profile = QLineEdit(self.current.rule_profile, self)
        self.rule_profile.setPlaceholderText("留空：按表的版式自动选用")
        self.shipped_rules = QComboBox(self)  # the shipped profiles, so no one hunts for them on disk
        self.shipped_rules.addItem("按表的版式自动选用（推荐）", "")
        for title, name in shipped_profiles():
            self.shipped_rules.addItem(title, name)
        if self.current.rule_profile and self.shipped_rules.findData(self.current.rule_profile) < 0:
            self.shipped_rules.addItem("本单位的规则文件（见下一行）", self.current.rule_profile)
        self.shipped_rules.setCurrentIndex(max(0, self.shipped_rules.findData(self.current.rule_profile)))
        self.shipped_rules.activated.connect(lambda i: self.rule_profile.setText(self.shipped_rules.itemData(i)))
        self.protect = QCheckBox("导出 xlsx 时保护工作表（只允许填写白色单元格；从预算系统导入的表保持原工作簿的设置）",
                                 self)
        self.protect.setChecked(self.current.protect_sheet)
        form = QFormLayout(self)
        form.addRow("单位负责人：", self.unit_leader)
        form.addRow("财务负责人：", self.finance_leader)
        form.addRow("填表人：", self.preparer)
        form.addRow("联系电话：", self.phone)
        form.addRow("PDF 字体：", _file_row(self, self.pdf_font, "选择 TrueType 字体", "字体 (*.ttf *.ttc)"))
        form.addRow("评分规则：", self.shipped_rules)
        form.addRow("规则文件：", _file_row(self, self.rule_profile, "选择规则配置", "规则配置 (*.toml)"))
        form.addRow("", self.protect)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> UnitSettings:
        return replace(self.current, unit_leader=self.unit_leader.text().strip(),
                       finance_leader=self.finance_leader.text().strip(), preparer=self.preparer.text().strip(),
                       phone=self.phone.text().strip(), pdf_font=self.pdf_font.text().strip(),
                       rule_profile=self.rule_profile.text().strip(), protect_sheet=self.protect.isChecked())

    def accept(self) -> None:
        values = self.values()
        if values.rule_profile != self.current.rule_profile:
            loaded = load_profile(values.rule_profile or None)
            if loaded.problems:
                QMessageBox.warning(self, "评分规则", "\n".join(loaded.problems))
                return
            self.profile = loaded.profile
        try:
            values.save(self.store)
        except StoreError as exc:
            QMessageBox.critical(self, "单位设置", str(exc))
            return
        super().accept()
