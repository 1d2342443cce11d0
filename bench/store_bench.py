"""Benchmark of the local store (not a test): a database of many forms, and the median time to
open it, list every form, search by name, load one form and save one edit.

    python bench/store_bench.py [--forms 10000] [--indicators 20] [--repeat 21] [--db PATH]

Without --db the database is built in a temporary folder and removed afterwards. The goal from
the performance issue: 10 000 forms listed and searched in under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.model import Form, FundRow, Indicator, with_indicator
from core.store import Store

PLACES = ["罗湖区", "福田区", "南山区", "宝安区", "龙岗区", "盐田区", "龙华区", "坪山区", "光明区", "大鹏新区"]
SUBJECTS = ["免费刻章", "大数据服务", "智慧城市运维", "社区健康服务", "学校安全管理", "河道整治", "公共法律服务",
            "政务服务大厅运营", "应急物资储备", "老旧小区改造", "垃圾分类督导", "図书馆数字化", "就业培训"]
GROUPS = [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"), ("产出指标", "成本指标"),
          ("效益指标", "社会效益指标"), ("效益指标", "经济效益指标"), ("满意度指标", "服务对象满意度指标")]


def make_form(i: int, indicators: int, rng: random.Random) -> Form:
    rows = []
    for k in range(indicators):
        level1, level2 = GROUPS[k % len(GROUPS)]
        # Every form's 三级指标 its own, as real projects' are: caches keyed by them must not flatter.
        rows.append(Indicator(level1=level1, level2=level2, level3=f"指标{k}：{rng.choice(SUBJECTS)}完成数量（{i}）",
                              target=f"≥{rng.randrange(50, 5000)}个", actual=f"{rng.randrange(50, 6000)}个",
                              points=Decimal(5), score=Decimal(rng.randrange(300, 500)) / 100,
                              reason="受多方面因素影响，部分指标未完全达成，下一年度将加强管理。" if k % 3 else ""))
    budget = Decimal(rng.randrange(100_000, 9_000_000)) + Decimal("0.00")
    return Form(
        layout="A" if i % 2 else "B",
        code=f"4403032415531{i:08d}",
        name=f"{rng.choice(PLACES)}{rng.choice(SUBJECTS)}项目（{i}）",
        year=str(2020 + i % 6),
        implementing_unit=f"{rng.choice(PLACES)}政务服务数据管理局",
        budget_unit=f"{rng.choice(PLACES)}政务服务数据管理局（本级）",
        fund_rows=(FundRow("年度资金总额", budget, budget, budget * Decimal("0.95")),),
        goal_expected="更好推动优化营商环境工作各项要求落实到位，保障服务的连续性。" * 2,
        goal_actual="全年完成主要目标，支出进度达标，服务对象满意度较高。" * 2,
        indicators=tuple(rows),
    )


def fill(path: Path, forms: int, indicators: int) -> float:
    rng = random.Random(1)
    started = time.perf_counter()
    with Store(path) as store:
        batch = 500
        for first in range(0, forms, batch):
            with store.transaction():  # one commit per batch: filling is not what is measured
                for i in range(first, min(forms, first + batch)):
                    store.create_form(make_form(i, indicators, rng))
    return time.perf_counter() - started


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def run(path: Path, forms: int, indicators: int, repeat: int) -> list[str]:
    lines = [f"machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}, Python {platform.python_version()}, "
             f"SQLite {__import__('sqlite3').sqlite_version}, {platform.system()} {platform.release()}"]
    if not path.exists():
        seconds = fill(path, forms, indicators)
        lines.append(f"fill: {forms} forms x {indicators} indicators in {seconds:.1f} s")
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    lines.append(f"database: {size / 1024 / 1024:.1f} MB")

    def open_close():
        Store(path).close()

    def open_close_read_only():
        Store(path, read_only=True).close()

    results = {"open (writer: lock, pragmas, version check)": median_ms(open_close, repeat),
               "open read-only": median_ms(open_close_read_only, repeat)}
    with Store(path) as store:
        total = len(store.list_forms())
        hits = len(store.list_forms("免费刻章"))
        results[f"list all ({total} forms)"] = median_ms(store.list_forms, repeat)
        results[f"search name \"免费刻章\" ({hits} hits)"] = median_ms(lambda: store.list_forms("免费刻章"), repeat)
        results["search code \"00004242\" (1 hit)"] = median_ms(lambda: store.list_forms("00004242"), repeat)
        form_id = total // 2
        results["load one form"] = median_ms(lambda: store.form(form_id), repeat)
        form = store.form(form_id)
        edits = iter(range(10 ** 9))

        def save_one_edit():
            store.save(form_id, with_indicator(form, 3, reason=f"第{next(edits)}次修改"))

        results["save one edit (one fsynced transaction)"] = median_ms(save_one_edit, repeat)
        store.save(form_id, replace(form), checkpoint=True)
    for name, value in results.items():
        lines.append(f"{name:<48} {value:8.2f} ms (median of {repeat})")
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "list", "--json", "--db", str(path)],
                   stdout=subprocess.DEVNULL, check=True)
    lines.append(f"{'python main.py list --json (whole process, once)':<48} "
                 f"{(time.perf_counter() - started) * 1000:8.2f} ms")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=10_000)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--db", type=Path, help="keep the database here (reused if it exists)")
    args = parser.parse_args()
    if args.db:
        lines = run(args.db, args.forms, args.indicators, args.repeat)
    else:
        with tempfile.TemporaryDirectory() as folder:
            lines = run(Path(folder) / "bench.sqlite3", args.forms, args.indicators, args.repeat)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
