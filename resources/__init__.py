"""The program's data files (rule profiles, sample forms, fonts, layouts), shipped as package data
and read through importlib.resources (core.paths.resource)."""
