"""The whole model and logic of the 项目支出绩效自评表 program. Never imports Qt."""

import os

APP_NAME = "绩效自评表填报助手"
__version__ = "0.1.0"

# openpyxl switches to lxml whenever lxml is installed (python-docx brings it). Our reading of
# hostile files — entity attacks refused through defusedxml, cached formula values, external links
# never followed — is built and tested on the standard library's parser: keep openpyxl on it.
os.environ.setdefault("OPENPYXL_LXML", "False")
