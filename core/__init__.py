"""The app's core: the form, its arithmetic, rules, checks, layouts and files. Never imports Qt."""

APP_NAME = "绩效自评表填报助手"
__version__ = "0.1.0"
