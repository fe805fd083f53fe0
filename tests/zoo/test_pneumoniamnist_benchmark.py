"""The ``szanet.pneumoniamnist`` preset and the PneumoniaMNIST benchmark script (no training)."""

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

import cxrzoo
from cxrzoo.presets_pneumoniamnist import PNEUMONIAMNIST_RECIPE

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "pneumoniamnist.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_pneumoniamnist", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_preset_is_registered_with_the_benchmark_recipe():
    preset = cxrzoo.get_preset("szanet.pneumoniamnist")
    assert preset.input_shape == (64, 64, 1)
    assert preset.recipe is PNEUMONIAMNIST_RECIPE
    assert preset.recipe.callbacks[0].monitor == "val_auc"
    assert preset.recipe.callbacks[0].restore_best_weights
    assert "szanet.pneumoniamnist" in cxrzoo.list_models("*.pneumoniamnist")
    assert cxrzoo.get_preset("szanet").name == "szanet.gupta"  # default tag unchanged


def test_preset_builds_szanet_at_64x64x1():
    model = cxrzoo.build("szanet.pneumoniamnist")
    # By hand: convs 160 + 4,640 + 18,496; BN 4 x (16 + 32 + 64) = 448; 64 -> 62 -> 31 -> 29
    # -> 14 -> 12 -> 6, so Dense 64 sees 6 * 6 * 64 = 2,304 inputs: 147,520; output 65.
    assert model.count_params() == 160 + 4640 + 18496 + 448 + 147520 + 65
    assert model.output_shape == (None, 1)


def test_rows_name_registered_models(bench):
    rows = bench.rows()
    assert {"szanet", "szanet_x3", "berreby_cnn"} <= set(rows)
    assert any(k.startswith("rahman_arch") for k in rows)
    for row in rows.values():
        assert cxrzoo.get_preset(row.model)  # resolves
        assert row.seeds == tuple(sorted(set(row.seeds)))
    assert rows["szanet_x3"].seeds == (0, 1, 2)


def test_skips_without_data(bench, tmp_path, capsys):
    assert bench.main(["--model", "szanet", "--data", str(tmp_path / "absent.npz")]) == 0
    assert "skipped" in capsys.readouterr().out


def test_unknown_row_is_an_error(bench, pneumoniamnist_path):
    with pytest.raises(SystemExit):
        bench.main(["--model", "nope", "--data", str(pneumoniamnist_path)])


def _fake_result(key, scores_val, scores_test, y_val, y_test, bench):
    result = {
        "row": key,
        "model": f"arch_{key}.test",
        "note": "",
        "input_shape": [64, 64, 1],
        "seeds": [0],
        "tta": True,
        "params": 171329,
        "train_seconds": 120.0,
        "threads": 2,
        "load_average_before": [1.0, 1.0, 1.0],
        "environment": {"cpu_count": 2},
        **bench.evaluate_scores(y_val, scores_val, y_test, scores_test),
        "scores": {"val": scores_val.tolist(), "test": scores_test.tolist()},
        "labels": {"val": y_val.tolist(), "test": y_test.tolist()},
    }
    return json.loads(json.dumps(result))


def test_docs_page_and_figure_from_results(bench, tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    y_val, y_test = rng.integers(0, 2, 120), rng.integers(0, 2, 150)
    results = {
        key: _fake_result(
            key,
            y_val + rng.normal(0, noise, 120),
            y_test + rng.normal(0, noise, 150),
            y_val,
            y_test,
            bench,
        )
        for key, noise in (("good", 0.3), ("fair", 0.6), ("poor", 1.2))
    }
    monkeypatch.setattr(bench, "DOC", tmp_path / "page.rst")
    monkeypatch.setattr(bench, "FIGURE", tmp_path / "roc.png")
    monkeypatch.setattr(bench, "RESULTS", tmp_path)
    bench.write_docs(results)
    page = (tmp_path / "page.rst").read_text()
    assert (tmp_path / "roc.png").stat().st_size > 10_000
    assert "``good`` and ``fair``" in page  # the best two architectures
    assert f"{results['good']['test']['auc']:.4f}" in page
    assert "DeLong" in page
    good = results["good"]["test"]
    assert good["auc"] >= 0.97 and good["accuracy"] >= 0.9  # 2 minutes, 2 threads
    assert "**met** by ``good``." in page
    rest = {k: results[k] for k in ("fair", "poor")}
    assert bench.target_sentence(rest).endswith(
        f"**not met**. The highest test AUC within the budget is ``fair``'s, "
        f"{results['fair']['test']['auc']:.4f} with accuracy "
        f"{results['fair']['test']['accuracy']:.4f}."
    )


def test_best_two_takes_one_row_per_architecture_by_validation_auc(bench):
    def row(model, auc, test_auc=0.5):
        return {"model": model, "val": {"auc": auc}, "test": {"auc": test_auc}}

    results = {"a1": row("a", 0.95), "a3": row("a", 0.97), "b": row("b", 0.96), "c": row("c", 0.9)}
    assert bench.best_two(results) == ["a3", "b"]
    # the test split never decides the pair
    results["c"] = row("c", 0.9, test_auc=0.99)
    assert bench.best_two(results) == ["a3", "b"]
    assert bench.best_two({"a1": row("a", 0.95), "a3": row("a", 0.97)}) == ["a3"]
    lines = bench.best_two_comparison({"a1": row("a", 0.95)})
    assert lines[0] == "Only one architecture has results so far: nothing to compare."


def test_preset_reports_what_the_saved_benchmark_rows_give(bench):
    results = bench.load_results()
    rows = {"'szanet')": results["szanet"], "'szanet_x3')": results["szanet_x3"]}
    reported = cxrzoo.get_preset("szanet.pneumoniamnist").reported
    assert len(reported) == 7
    for item in reported:
        row = next(r for tag, r in rows.items() if tag in item.note)
        split = "val" if item.split == "validation" else "test"
        key = {"roc_auc": "auc"}.get(item.metric, item.metric)
        assert round(row[split][key], 4) == item.value


def test_combine_rows_needs_to_beat_the_best_single_row(bench):
    y_val = [0, 0, 1, 1]

    def row(model, val_scores, seconds, val_auc):
        return {
            "model": model,
            "input_shape": [64, 64, 1],
            "seeds": [0],
            "tta": True,
            "params": 10,
            "train_seconds": seconds,
            "threads": 2,
            "load_average_before": [1.0, 1.0, 1.0],
            "environment": {"cpu_count": 2},
            "val": {"auc": val_auc},
            "scores": {"val": val_scores, "test": [0.2, 0.6, 0.4, 0.9]},
            "labels": {"val": y_val, "test": [0, 1, 0, 1]},
        }

    # a: AUC 0.75 (0.6 > 0.5 misranks one pair), b: AUC 0.75; their mean ranks all right
    results = {
        "a": row("a", [0.1, 0.6, 0.5, 0.9], 100, 0.75),
        "b": row("b", [0.4, 0.1, 0.5, 0.3], 100, 0.75),
        "slow": row("slow", [0.0, 0.1, 0.8, 0.9], 10_000, 1.0),
        "flat": row("flat", [0.5, 0.5, 0.5, 0.5], 1, 0.5),
    }
    combined = bench.combine_rows(results, 900)
    assert combined["combines"] == ["a", "b"]
    assert combined["val"]["auc"] == 1.0
    assert combined["train_seconds"] == 200
    assert bench.combine_rows({k: results[k] for k in ("a", "flat")}, 900) is None
