"""Crash safety, for real: child processes import and edit forms in a loop and are killed with
SIGKILL at random moments. After every kill the database must pass PRAGMA integrity_check, hold
every save that had returned exactly as it was saved, and hold no half-written form.

The children are forked from the test process (the imports are already loaded, so a restart takes
milliseconds and well over a hundred kills fit in a few seconds); a second test kills real
`python main.py import` processes.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import time
import traceback
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from core.merge import merge_reimport
from core.model import with_indicator
from core.store import Store
from core.store.serialize import form_from_dict, form_to_dict
from core.xlsx.reader import read_workbook
from tests.conftest import ROOT
from tests.seeds import write_seed_a, write_seed_b

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not hasattr(os, "fork") or not hasattr(signal, "SIGKILL"),
                                 reason="needs fork and SIGKILL")]

KILLS = 150
TEXT = "绩效自评偏差原因分析及改进措施数据资金项目完成情况满意度"


def two_sheet_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    write_seed_a(wb.active)
    write_seed_b(wb.create_sheet("自评表B"))
    wb.save(path)
    return path


# -- the child ----------------------------------------------------------------------------------

def _worker(db: Path, journal: Path, workbook: bytes, sheets: list, seed: int) -> None:
    """Imports and edits forever. Writes what it is about to save, then "done" once save returned."""
    rng = random.Random(seed)
    sheets = [(name, form_from_dict(data)) for name, data in sheets]
    pause = timedelta(0) if rng.random() < 0.3 else timedelta(minutes=5)  # some runs: every save a revision
    log = open(journal, "a", encoding="utf-8")  # noqa: SIM115 - open for the worker's life; it is killed, never returns

    def note(entry: dict) -> None:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")
        log.flush()

    store = Store(db, revision_pause=pause)
    while True:
        forms = store.list_forms()
        roll = rng.random()
        if len(forms) < 2 or (roll < 0.08 and len(forms) < 40):
            tag = f"{os.getpid():07d}{rng.randrange(10 ** 6):06d}"
            batch = [(name, replace(form, code=f"44{tag}{i}")) for i, (name, form) in enumerate(sheets)]
            note({"op": "import", "forms": {form.code: form_to_dict(form) for _, form in batch}})
            store.import_workbook("两张表.xlsx", workbook, batch)
        elif roll < 0.12:  # re-import over an existing form
            target = rng.choice(forms)
            name, form = sheets[0] if target.layout == "A" else sheets[1]
            form = replace(form, code=target.code, year=target.year,
                           indicators=tuple(replace(r, actual="") for r in form.indicators))
            merged = merge_reimport(store.form(target.id), form)
            note({"op": "save", "code": target.code, "data": form_to_dict(merged)})
            store.import_workbook("两张表.xlsx", workbook, [(name, form)])
        elif roll < 0.2:  # restore an earlier revision
            target = rng.choice(forms)
            number = rng.choice(store.revisions(target.id)).number
            note({"op": "save", "code": target.code, "data": form_to_dict(store.revision_form(target.id, number))})
            store.restore(target.id, number)
        else:
            target = rng.choice(forms)
            form = store.form(target.id)
            index = rng.randrange(len(form.indicators))
            text = "".join(rng.choice(TEXT) for _ in range(rng.choice((1, 40, 400, 6000))))
            form = with_indicator(form, index, reason=text, score=Decimal(rng.randrange(0, 1500)) / 100)
            if rng.random() < 0.3:
                form = replace(form, goal_actual=text[:200])
            note({"op": "save", "code": target.code, "data": form_to_dict(form)})
            store.save(target.id, form, checkpoint=rng.random() < 0.2)
        note({"op": "done"})


def _start(db, journal, workbook, sheets, seed, errors: Path) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            _worker(db, journal, workbook, sheets, seed)
        except BaseException:
            errors.write_text(traceback.format_exc(), encoding="utf-8")
        finally:
            os._exit(1)
    return pid


# -- the checks after a kill -----------------------------------------------------------------------

def _journal(path: Path) -> list[dict]:
    if not path.exists():
        return []
    lines = path.read_bytes().split(b"\n")  # bytes: a cut line may end inside a character
    entries = []
    for index, line in enumerate(lines):
        if not line:
            continue
        try:
            entries.append(json.loads(line.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError):
            # Only the line being written when the kill came may be cut short.
            assert index == len(lines) - 1, f"damaged journal line {index}"
    return entries


def _stored_state(db: Path, workbook: bytes) -> dict[str, dict]:
    """code -> form data of every form in the database, after checking each one is whole."""
    if not db.exists():
        return {}
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    state = {}
    with Store(db, read_only=True) as store:
        for summary in store.list_forms():
            stored = store.get(summary.id)
            form = stored.form
            # The listing columns belong to the same transaction as the JSON.
            assert (summary.code, summary.year, summary.name, summary.layout) == (
                form.code, form.year, form.name, form.layout)
            assert summary.total_score == store._score_of(form)
            numbers = [r.number for r in store.revisions(summary.id)]
            assert numbers == list(range(1, len(numbers) + 1)) and stored.revision == numbers[-1]
            source = store.source_workbook(summary.id)
            assert source is not None and source.data == workbook
            state[summary.code] = form_to_dict(form)
        conn_revisions = store._rows("SELECT count(*) FROM revisions WHERE form_id NOT IN (SELECT id FROM forms)")
        assert conn_revisions == [(0,)], "revisions of a form that does not exist"
    return state


def _check_round(db: Path, journal: Path, workbook: bytes, confirmed: dict[str, dict]) -> tuple[int, bool]:
    """Checks the database against what the child said; returns (saves returned, one in flight)."""
    pending: dict[str, dict] | None = None
    returned = 0
    for entry in _journal(journal):
        if entry["op"] == "done":
            assert pending is not None, "a save was confirmed that the child never announced"
            confirmed.update(pending)
            pending, returned = None, returned + 1
        elif entry["op"] == "import":
            pending = entry["forms"]
        else:
            pending = {entry["code"]: entry["data"]}
    state = _stored_state(db, workbook)
    for code, data in confirmed.items():
        assert code in state, f"form {code} was saved and is gone"
        if not pending or code not in pending:
            assert state[code] == data, f"form {code} differs from its last returned save"
    for code in state:
        assert code in confirmed or (pending and code in pending), f"form {code} was never saved"
    if pending:
        new_codes = [code for code in pending if code not in confirmed]
        assert len({code in state for code in new_codes}) <= 1, "an import was half written"
        for code, data in pending.items():
            if code in state:
                assert state[code] in (confirmed.get(code), data), f"form {code} is neither before nor after"
                confirmed[code] = state[code]  # the interrupted save either happened or did not
    return returned, pending is not None


def test_killing_the_writer_at_random_moments_never_loses_or_half_writes_a_form(tmp_path):
    workbook_path = two_sheet_workbook(tmp_path / "两张表.xlsx")
    workbook = workbook_path.read_bytes()
    sheets = [(s.sheet, form_to_dict(s.form)) for s in read_workbook(workbook_path).forms]
    db, errors = tmp_path / "forms.sqlite3", tmp_path / "child-error.txt"
    rng = random.Random(20250303)
    confirmed: dict[str, dict] = {}
    returned = interrupted = 0
    started = time.monotonic()
    for round_number in range(KILLS):
        journal = tmp_path / f"journal-{round_number}.jsonl"
        pid = _start(db, journal, workbook, sheets, rng.randrange(1 << 30), errors)
        time.sleep(rng.uniform(0.001, 0.08))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert not errors.exists(), errors.read_text(encoding="utf-8")
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        saves, in_flight = _check_round(db, journal, workbook, confirmed)
        returned += saves
        interrupted += in_flight
    elapsed = time.monotonic() - started
    # The test only means something if the kills landed among real work (how many land mid-save
    # depends on the machine's load, so the floor is well below the usual half).
    assert returned >= 3 * KILLS and interrupted >= KILLS // 5, (returned, interrupted)
    assert len(confirmed) >= 10
    print(f"{KILLS} kills in {elapsed:.1f}s, {returned} saves returned, {interrupted} kills mid-save")


def test_killed_import_commands_leave_each_workbook_all_or_nothing(tmp_path):
    """The real command, in a fresh interpreter each time: a workbook of two sheets is imported
    whole or not at all, whenever the process dies."""
    import subprocess
    import sys

    workbook = two_sheet_workbook(tmp_path / "两张表.xlsx")
    db = tmp_path / "forms.sqlite3"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    rng = random.Random(7)
    outcomes = set()
    for _ in range(12):
        child = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "import", str(workbook), "--db", str(db)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
        time.sleep(rng.uniform(0.3, 1.2))
        child.send_signal(signal.SIGKILL)
        child.wait()
        if db.exists():
            conn = sqlite3.connect(db)
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            conn.close()
            with Store(db, read_only=True) as store:
                forms = store.list_forms()
                assert len(forms) in (0, 2)
                revisions = [len(store.revisions(f.id)) for f in forms]
                assert len(set(revisions)) <= 1, "one sheet of a workbook imported without the other"
                outcomes.add(revisions[0] if revisions else 0)
    assert len(outcomes) >= 2, outcomes  # some kills came before the commit, some after
