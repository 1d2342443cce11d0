"""The unit's settings, kept in the store: who signs the PDF, which font and rule profile to use."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class UnitSettings:
    unit_leader: str = ""  # 单位负责人
    finance_leader: str = ""  # 财务负责人
    preparer: str = ""  # 填表人
    phone: str = ""  # 联系电话
    pdf_font: str = ""  # a TrueType font file chosen by the clerk; empty: find one
    rule_profile: str = ""  # a region's rule profile; empty: the shipped one
    protect_sheet: bool = False  # lock grey cells in exported xlsx

    @classmethod
    def from_store(cls, store) -> "UnitSettings":
        values = store.settings()
        kwargs = {}
        for f in fields(cls):
            raw = values.get(f.name)
            if raw is None:
                continue
            kwargs[f.name] = raw == "1" if f.type in (bool, "bool") else raw
        return cls(**kwargs)

    def save(self, store) -> None:
        with store.transaction():
            for f in fields(self):
                value = getattr(self, f.name)
                store.set_setting(f.name, ("1" if value else "0") if isinstance(value, bool) else value)
