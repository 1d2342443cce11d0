"""帮助 (F1): the yearly workflow in five steps, the shortcuts, and where the data lives.

The shortcut table is read from the window's own actions, so it cannot drift from the menus; the
paths are the ones this window really uses (its database, the window settings file, backups).
No network: the page is built here, and links only open local folders.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from core import APP_NAME, __version__
from core.profile import rules_text

STEPS = (
    ("导入或新建", "用“导入 xlsx”打开预算管理一体化系统导出的自评表（灰色单元格已由系统填好）；"
     "没有导出文件时用“新建表”，或选中去年的表用“从上年复制”。"),
    ("填写带 * 的单元格", "实际完成情况、实际完成值、分值/权重、得分和偏差原因分析。执行率、总分随输入即时重算，"
     "每一次输入都自动保存到本机数据库，不必担心断电或误关。"),
    ("审核", "按 F5 审核：下方列出错误（红）和提醒（黄），点击一条跳到对应单元格。"
     "Ctrl+Enter 采用建议得分；没有错误后可“标记为已审核”。"),
    ("导出 xlsx 导入系统", "Ctrl+E 导出与官方模板完全一致的 xlsx，再在预算管理一体化系统中导入。"
     "从系统导入的表会写回原工作簿的副本，系统的隐藏内容原样保留。"),
    ("打印签字盖章", "Ctrl+P 打印预览并打印，或 Ctrl+Shift+E 导出 PDF；单位负责人、财务负责人签字，加盖单位公章。"),
)

# Keys the grid handles itself (no menu action carries them).
GRID_KEYS = (
    ("Tab / Shift+Tab", "下一个 / 上一个可填写的单元格"),
    ("Enter 或直接输入", "编辑当前单元格"),
    ("Ctrl+V", "粘贴从 Excel 复制的一块区域"),
    ("Delete", "清空选中的可填写单元格"),
)


def _shortcut_rows(window) -> list[tuple[str, str]]:
    rows = []
    for action in window.findChildren(type(window.act_new)):
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        text = action.text().replace("&", "").rstrip("…").strip()
        if keys and text:
            rows.append((" / ".join(keys), text))
    return sorted(set(rows), key=lambda row: (len(row[0]) > 3, row[0]))


def help_html(window) -> str:
    """The help page's HTML for this window (its actions' shortcuts, its database and settings)."""
    esc = html.escape
    db = Path(window.store.path)
    steps = "".join(f"<p><b>第 {number} 步：{esc(title)}</b><br>{esc(text)}</p>"
                    for number, (title, text) in enumerate(STEPS, start=1))
    pairs = [*_shortcut_rows(window), *GRID_KEYS]
    half = (len(pairs) + 1) // 2  # two columns of shortcuts: the page fits without scrolling
    cells = [f"<td><code>{esc(k)}</code></td><td>{esc(what)}</td>" for k, what in pairs] + ["<td></td><td></td>"]
    keys = "".join(f"<tr>{cells[i]}<td width='24'></td>{cells[i + half] if i + half < len(pairs) else ''}</tr>"
                   for i in range(half))
    folder_link = QUrl.fromLocalFile(str(db.parent)).toString()
    return f"""
<h2>{esc(APP_NAME)} {esc(__version__)}</h2>
<p>离线填写、审核项目支出绩效自评表，导出官方格式的 xlsx 和供签字盖章的 PDF。程序从不连接网络。</p>
<h3>一年的工作，五步完成</h3>
{steps}
<h3>快捷键</h3>
<table cellspacing="0" cellpadding="3">{keys}</table>
<h3>数据存放在哪里</h3>
<ul>
<li>所有自评表及每张表的历史版本：本机数据库文件<br><code>{esc(str(db))}</code>
（<a href="{esc(folder_link)}">打开所在文件夹</a>）</li>
<li>备份：“文件 → 备份数据库”把整个数据库另存为一个文件（建议定期备份到U盘）；
换电脑或数据库丢失时用“文件 → 从备份恢复”。</li>
<li>窗口大小、上次打开的表、打印设置：<br><code>{esc(window.settings.fileName())}</code></li>
<li>评分规则：{esc(rules_text(window.profile))}（可在“设置 → 单位设置”中更换）</li>
</ul>
"""


class HelpDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.setWindowTitle(f"帮助 - {APP_NAME}")
        self.resize(760, 680)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)  # local folders only, opened by the desktop
        self.browser.anchorClicked.connect(lambda url: QDesktopServices.openUrl(url) if url.isLocalFile() else None)
        self.window_ = window
        self.refresh()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def refresh(self) -> None:
        self.browser.setHtml(help_html(self.window_))
