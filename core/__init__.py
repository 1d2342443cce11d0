"""The whole model and logic of the 项目支出绩效自评表 program. Never imports Qt."""

import os

APP_NAME = "绩效自评表填报助手"
__version__ = "0.1.0"

# python-docx (the 自评报告) brings lxml, and openpyxl switches its XML parser to lxml whenever lxml is
# importable. Keep openpyxl on the parser its reader, hostile-input tests and the bundle were built
# with (the standard library's, guarded by defusedxml): set before anything imports openpyxl.
os.environ.setdefault("OPENPYXL_LXML", "False")
