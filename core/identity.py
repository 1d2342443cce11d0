"""Which stored form a form is: its identity.

Where the layout has a project code (a 项目编码 cell, or the code inside 项目名称 as "代码-名称"), a
form is its code + year. A layout without a code (the central template: 项目名称 | 主管部门 | 实施单位)
identifies a form by 项目名称 + year + 实施单位, compared as the reader compares labels (half/full
width, spaces), so a re-import typed in WPS with a full-width bracket is still the same project.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.layout_files import layout_spec
from core.model import Form
from core.text import norm


@dataclass(frozen=True)
class Identity:
    """code + year, or (when the layout has no code) name + year + unit, normalized."""

    year: str
    code: str = ""
    name: str = ""
    unit: str = ""

    @property
    def by_code(self) -> bool:
        return bool(self.code)

    def describe(self) -> str:
        """How the import summary and messages name it (Chinese)."""
        if self.by_code:
            return f"项目编码 {self.code} 的 {self.year} 年"
        return f"项目名称“{self.name}”、实施单位“{self.unit}”的 {self.year} 年"


def uses_code(layout_id: str) -> bool:
    spec = layout_spec(layout_id)
    return spec is None or spec.identity != "name_year_unit"


def identity_of(form: Form) -> Identity | None:
    """The form's identity; None when what identifies it is not filled in (no year, no code or no
    name): such a form is always a new one."""
    year = form.year.strip()
    if not year:
        return None
    if uses_code(form.layout) or form.code.strip():
        code = form.code.strip()
        return Identity(year, code=code) if code else None
    name = norm(form.name)
    return Identity(year, name=name, unit=norm(form.implementing_unit)) if name else None
