"""The whole model and logic of the 项目支出绩效自评表 program. Never imports Qt."""

APP_NAME = "绩效自评表填报助手"
__version__ = "0.1.0"
