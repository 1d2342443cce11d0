"""Importing a workbook into the store: the one path the command line, the window and the sample
forms on first start all take, so they cannot drift apart.

The bytes read and checked are the bytes parsed and the bytes kept with the forms (a file rewritten
meanwhile cannot slip in), and a form the reader says must not be stored as it is (a code Excel
made numeric) is reported instead of imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.store import ImportResult, Store
from core.store.errors import StoreError
from core.xlsx.guard import ReadError, read_checked
from core.xlsx.reader import Problem, read_workbook_data


@dataclass
class ImportOutcome:
    """What importing one file did: the forms stored (new or updated), what could not be read or
    stored, and what the clerk should know although it did not fail."""

    results: list[ImportResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def import_file(store: Store, path: str | Path, *, keep_samples: bool = False) -> ImportOutcome:
    """Read `path` and store every form in it (re-importing a code + year updates that form).

    A form of the clerk's own whose code and year are those of an untouched sample (示例) replaces
    the sample instead of being merged into it: the sample's answers are not the clerk's.

    A failure nobody foresaw (a bug met by an odd file) is reported as this file's problem: the
    other files of a batch are still imported, and the window's progress box still closes."""
    try:
        return _import_file(store, path, keep_samples)
    except Exception as exc:  # the store's transaction has kept nothing of this file
        return ImportOutcome(problems=[Problem(str(path), None, f"没有导入：程序出错（{type(exc).__name__}：{exc}），"
                                                                "请把这个文件交给技术支持")])


def _import_file(store: Store, path: str | Path, keep_samples: bool) -> ImportOutcome:
    name = str(path)
    outcome = ImportOutcome()
    try:
        data = read_checked(path)
    except ReadError as exc:
        outcome.problems.append(Problem(name, None, str(exc)))
        return outcome
    read = read_workbook_data(data, name, checked=True)
    outcome.problems.extend(read.problems)
    outcome.warnings.extend(read.warnings)
    forms = []
    for sheet_form in read.forms:
        if sheet_form.refusal:
            outcome.problems.append(Problem(name, sheet_form.sheet, sheet_form.refusal))
        else:
            forms.append(sheet_form)
    if not forms:
        return outcome
    said = len(outcome.warnings)
    try:
        with store.transaction():  # a sample makes way for the file's form only if that form is stored
            if not keep_samples:
                _make_way(store, forms, name, outcome)
            outcome.results = store.import_workbook(Path(path).name, data, [(f.sheet, f.form) for f in forms])
    except StoreError as exc:
        del outcome.warnings[said:]  # "已删除示例表" was undone with the rest
        outcome.problems.append(Problem(name, None, f"没有导入，{exc}"))
    return outcome


def _make_way(store: Store, forms: list, name: str, outcome: ImportOutcome) -> None:
    from core.samples import forget_sample, sample_ids

    samples = sample_ids(store)
    if not samples:
        return
    for sheet_form in forms:
        form = sheet_form.form
        existing = store.find_same(form)
        if existing in samples:
            # Inside the import's transaction: a failure here fails the whole file, undone with it.
            store.delete_form(existing)
            forget_sample(store, existing)
            outcome.warnings.append(Problem(name, sheet_form.sheet,
                                            f"示例表“{form.name or form.code}”与导入的表项目编码、"
                                            "年度相同：已删除示例表，导入的表作为新表"))
