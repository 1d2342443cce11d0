"""Where the program's own files live: in a source checkout, an installed wheel (resources/ is
package data) and a PyInstaller bundle."""

from __future__ import annotations

import functools
import sys
from importlib import resources as importlib_resources
from pathlib import Path


@functools.cache
def resources_root() -> Path:
    """The resources/ folder: the bundle's copy when frozen, else the `resources` package's files
    (a real folder, in a checkout and in an installed wheel alike)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(str(importlib_resources.files("resources")))


def resource(*parts: str) -> Path:
    return resources_root().joinpath(*parts)
