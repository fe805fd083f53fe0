"""PneumoniaMNIST benchmark: cxrzoo models trained here, judged on the test split by cxreval.

The command line of :mod:`benchmarks.pneumoniamnist` (``python -m benchmarks.pneumoniamnist``
from the project root, with ``src`` on ``PYTHONPATH``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchmarks.pneumoniamnist import store
from benchmarks.pneumoniamnist.ensembles import combine_rows, ensemble_of_rows
from benchmarks.pneumoniamnist.page import write_docs
from benchmarks.pneumoniamnist.rows import PLANNED, PLANNED_NOTE, TARGET_MINUTES
from benchmarks.pneumoniamnist.rows import exploration_rows as all_exploration_rows
from benchmarks.pneumoniamnist.rows import rows as all_rows
from benchmarks.pneumoniamnist.run import rerun_check, run_exploration, run_row, set_threads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.pneumoniamnist", description=__doc__.splitlines()[0]
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--model", action="append", help="row to run (repeatable)")
    what.add_argument("--all", action="store_true", help="run every row")
    what.add_argument(
        "--explore", action="store_true", help="run every validation-only exploration row"
    )
    what.add_argument("--report", action="store_true", help="rewrite the docs from results")
    what.add_argument("--list", action="store_true", help="list the rows")
    what.add_argument(
        "--combine",
        action="store_true",
        help="average the saved rows that, chosen on validation, fit the 15-minute budget",
    )
    what.add_argument(
        "--planned",
        action="store_true",
        help=f"score the candidate fixed in advance ({' + '.join(PLANNED)}) from saved rows",
    )
    parser.add_argument("--rerun", action="store_true", help="compare with the saved result")
    parser.add_argument("--data", type=Path, default=store.DEFAULT_DATA)
    parser.add_argument("--threads", type=int, default=2, help="TensorFlow CPU threads")
    args = parser.parse_args(argv)

    if args.combine:
        combined = combine_rows(store.load_results(), TARGET_MINUTES * 60)
        if combined is None:
            (store.RESULTS / "combined.json").unlink(missing_ok=True)
            print("no ensemble of rows within the budget beats the best single row on validation")
            return 0
        store.save(store.RESULTS / "combined.json", combined)
        print(f"combined {combined['combines']}: test AUC {combined['test']['auc']:.4f}")
    if args.planned:
        planned = ensemble_of_rows(store.load_results(), PLANNED, "planned", PLANNED_NOTE)
        store.save(store.RESULTS / "planned.json", planned)
        t = planned["test"]
        print(
            f"planned {PLANNED}: test AUC {t['auc']:.4f} ({t['auc_low']:.4f}-{t['auc_high']:.4f}),"
            f" ACC {t['accuracy']:.4f}, {planned['train_seconds'] / 60:.1f} min"
        )
    if args.report or args.combine or args.planned:
        write_docs(store.load_results(), similarity=store.load_similarity(args.data))
        print(
            f"wrote {store.DOC.relative_to(store.ROOT)} and {store.FIGURE.relative_to(store.ROOT)}"
        )
        return 0
    if not args.data.is_file():
        print(f"PneumoniaMNIST benchmark skipped: {args.data} is absent.")
        return 0
    table, exploring = all_rows(), all_exploration_rows()
    if args.list:
        for row in [*table.values(), *exploring.values()]:
            kind = "validation only" if row.key in exploring else ""
            print(f"{row.key:18s} {row.model:30s} {row.input_shape} seeds={row.seeds} {kind}")
        return 0
    keys = list(table) if args.all else list(exploring) if args.explore else args.model
    unknown = [k for k in keys if k not in table and k not in exploring]
    if unknown:
        parser.error(f"unknown row(s) {unknown}; rows: {', '.join([*table, *exploring])}")
    if args.rerun and any(k in exploring for k in keys):
        parser.error("--rerun is for the table's rows, not the validation-only ones")
    set_threads(args.threads)
    from cxrzoo.data import load_npz
    from cxrzoo.presets.reports import BINARY

    data = load_npz(args.data, class_names=BINARY)
    for key in keys:
        print(f"[{key}] training on {args.threads} thread(s)", flush=True)
        if key in exploring:
            result = run_exploration(exploring[key], data, args.threads)
            v = result["val"]
            print(
                f"[{key}] validation AUC {v['auc']:.4f} ({v['auc_low']:.4f}-{v['auc_high']:.4f})"
                f", {result['train_seconds'] / 60:.1f} min",
                flush=True,
            )
            store.save(store.EXPLORATION / f"{key}.json", result)
            continue
        result = run_row(table[key], data, args.threads, reuse=not args.rerun)
        t = result["test"]
        print(
            f"[{key}] test AUC {t['auc']:.4f} ({t['auc_low']:.4f}-{t['auc_high']:.4f}), "
            f"ACC {t['accuracy']:.4f}, SEN {t['sensitivity']:.4f}, SPE {t['specificity']:.4f}, "
            f"F1 {t['f1']:.4f}, {result['train_seconds'] / 60:.1f} min",
            flush=True,
        )
        path = store.RESULTS / f"{key}.json"
        if args.rerun:
            check = rerun_check(table[key], result, json.loads(path.read_text()))
            store.save(store.RERUNS / f"{key}.json", check)
            print(json.dumps(check, indent=1))
        else:
            store.save(path, result)
    results = store.load_results()
    if len(results) >= 2:
        write_docs(results, similarity=store.load_similarity(args.data))
    return 0
