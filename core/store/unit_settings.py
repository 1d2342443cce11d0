"""The unit's settings, kept in the store: who signs the PDF, which font and rule profile to use."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from core.store.store import Store


class Signing(TypedDict):
    """Who signs a PDF: PdfOptions' fields of the same names."""

    preparer: str
    phone: str
    unit_leader: str
    finance_leader: str


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
    def from_store(cls, store: Store) -> UnitSettings:
        values = store.settings()
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            raw = values.get(f.name)
            if raw is None:
                continue
            kwargs[f.name] = raw == "1" if f.type in (bool, "bool") else raw
        return cls(**kwargs)

    def signing(self, store: Store | None, form_id: int | None) -> Signing:
        """填表人 and 联系电话 for one form (the window keeps per-form values), and the leaders."""
        values: Signing = {"preparer": self.preparer, "phone": self.phone, "unit_leader": self.unit_leader,
                  "finance_leader": self.finance_leader}
        if form_id is not None and store is not None:
            for key in ("preparer", "phone"):
                own = store.setting(form_key(form_id, key))
                values[key] = own or values[key]
        return values

    def save(self, store: Store) -> None:
        with store.transaction():
            for f in fields(self):
                value = getattr(self, f.name)
                store.set_setting(f.name, ("1" if value else "0") if isinstance(value, bool) else value)


def form_key(form_id: int, name: str) -> str:
    """The settings key of a per-form value (e.g. this form's 填表人)."""
    return f"form:{form_id}:{name}"
