"""The ``szanet.pneumoniamnist`` preset and the PneumoniaMNIST benchmark script (no training)."""

import json
from types import SimpleNamespace

import numpy as np
import pytest
from benchmarks.pneumoniamnist import (
    cli,
    ensembles,
    protocol,
    run,
    similarity,
    store,
)
from benchmarks.pneumoniamnist import page as bench_page
from benchmarks.pneumoniamnist import rows as bench_rows

import cxrzoo
from cxrzoo.presets.pneumoniamnist import PNEUMONIAMNIST_RECIPE, PNEUMONIAMNIST_TRANSFER_RECIPE


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


def test_densenet_preset_is_densenet121_from_scratch_at_32x32x1():
    preset = cxrzoo.get_preset("densenet121.pneumoniamnist")
    assert preset.weights is None and not preset.freeze_base
    assert preset.recipe is PNEUMONIAMNIST_TRANSFER_RECIPE
    assert (preset.recipe.epochs, preset.recipe.schedule.step_epochs) == (8, 3)
    assert PNEUMONIAMNIST_RECIPE.batchnorm_momentum == 0.9
    assert preset.recipe.batchnorm_momentum == 0.9
    model = cxrzoo.build("densenet121.pneumoniamnist")
    # DenseNet121 without its top has 7,037,504 parameters for RGB input (Keras' table);
    # one channel shrinks the first kernel from 7 x 7 x 3 x 64 to 7 x 7 x 1 x 64 (-6,272);
    # the head (global average pooling > Dense 1) adds 1,024 + 1
    assert model.count_params() == 7_037_504 - 6_272 + 1_025
    assert model.output_shape == (None, 1) and model.input_shape == (None, 32, 32, 1)


def test_ensemble_rows_reuse_members_trained_earlier_in_the_run(monkeypatch):
    rows = bench_rows.rows()
    single, pair = rows["densenet121"], rows["densenet121_x2"]
    assert run.member_key(single, 0, 2) == run.member_key(pair, 0, 2)
    assert run.member_key(pair, 0, 2) != run.member_key(pair, 1, 2)
    assert run.member_key(pair, 0, 2) != run.member_key(pair, 0, 1)  # other sums
    assert run.member_key(single, 0, 2) != run.member_key(rows["resnet50"], 0, 2)
    trained = {
        run.member_key(pair, seed, 2): (
            {"seed": seed, "params": 10, "train_seconds": 60.0 * (seed + 1)},
            np.array([0.1, 0.9]) + seed / 10,
            np.array([0.2, 0.8]) - seed / 10,
        )
        for seed in (0, 1)
    }
    monkeypatch.setattr(run, "_TRAINED", trained)
    out = run.train_row(pair, data=None)  # nothing left to train
    assert [m["reused"] for m in out["members"]] == [True, True]
    assert out["seconds"] == 180.0  # the sum over its models, reused ones too
    assert out["val_scores"] == pytest.approx([0.15, 0.95])
    assert out["test_scores"] == pytest.approx([0.15, 0.75])


class _FakeModel:
    def count_params(self):
        return 7


def test_a_row_with_jobs_trains_its_seeds_side_by_side_and_counts_wall_time(monkeypatch):
    row = bench_rows.rows()[bench_rows.PLANNED_PARALLEL]
    assert (row.seeds, row.jobs) == ((0, 1, 2, 3), 2)
    asked = {}

    def fake_train_seeds(build, data, seeds, **kwargs):
        asked.update(kwargs, seeds=list(seeds), model=build.args[0], built=build.keywords)
        history = ({"val_auc": 0.9}, {"val_auc": 0.95})
        return [
            SimpleNamespace(model=_FakeModel(), history=history, settings={"train_seconds": 600.0})
            for _ in seeds
        ]

    monkeypatch.setattr(cxrzoo, "train_seeds", fake_train_seeds)
    monkeypatch.setattr(run, "_TRAINED", {})
    monkeypatch.setattr(run, "member_scores", lambda model, images, tta: np.array([0.25, 0.75]))
    data = {"val": None, "test": None}
    out = run.train_row(row, data, threads=2, verbose=0)
    assert asked["seeds"] == [0, 1, 2, 3] and asked["jobs"] == 2 and asked["threads"] == 1
    assert asked["model"] == row.model and asked["built"]["input_shape"] == row.input_shape
    assert asked["built"]["weights"] is None and asked["built"]["activation"] == "sigmoid"
    assert [m["threads"] for m in out["members"]] == [1, 1, 1, 1]
    assert [m["best_epoch"] for m in out["members"]] == [2, 2, 2, 2]
    # the wall-clock time of the (instant) fake, not the members' 4 x 600 s
    assert 0 <= out["seconds"] < 60
    assert sum(m["train_seconds"] for m in out["members"]) == 2400.0


def test_rows_name_registered_models():
    rows = bench_rows.rows()
    assert {"szanet", "szanet_x3", "berreby_cnn"} <= set(rows)
    assert any(k.startswith("rahman_arch") for k in rows)
    for row in rows.values():
        assert cxrzoo.get_preset(row.model)  # resolves
        assert row.seeds == tuple(sorted(set(row.seeds)))
    assert rows["szanet_x3"].seeds == (0, 1, 2)


def test_skips_without_data(tmp_path, capsys):
    assert cli.main(["--model", "szanet", "--data", str(tmp_path / "absent.npz")]) == 0
    assert "skipped" in capsys.readouterr().out


def test_unknown_row_is_an_error(pneumoniamnist_path):
    with pytest.raises(SystemExit):
        cli.main(["--model", "nope", "--data", str(pneumoniamnist_path)])


def _fake_result(key, scores_val, scores_test, y_val, y_test):
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
        **protocol.evaluate_scores(y_val, scores_val, y_test, scores_test),
        "scores": {"val": scores_val.tolist(), "test": scores_test.tolist()},
        "labels": {"val": y_val.tolist(), "test": y_test.tolist()},
    }
    return json.loads(json.dumps(result))


def test_docs_page_and_figure_from_results(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    y_val, y_test = rng.integers(0, 2, 120), rng.integers(0, 2, 150)
    results = {
        key: _fake_result(
            key,
            y_val + rng.normal(0, noise, 120),
            y_test + rng.normal(0, noise, 150),
            y_val,
            y_test,
        )
        for key, noise in (("good", 0.3), ("fair", 0.6), ("poor", 1.2))
    }
    results["combined"] = {**results["poor"], "row": "combined", "combines": ["fair", "poor"]}
    monkeypatch.setattr(store, "DOC", tmp_path / "page.rst")
    monkeypatch.setattr(store, "FIGURE", tmp_path / "roc.png")
    monkeypatch.setattr(store, "RESULTS", tmp_path)
    monkeypatch.setattr(store, "EXPLORATION", tmp_path / "exploration")  # none saved
    bench_page.write_docs(results)
    page = (tmp_path / "page.rst").read_text()
    assert (tmp_path / "roc.png").stat().st_size > 10_000
    assert "``good`` and ``fair``" in page  # the best two architectures
    assert f"{results['good']['test']['auc']:.4f}" in page
    assert "DeLong" in page
    assert "(no validation-only runs saved yet)" in page
    # a combined row is remade by --combine, not trained by --model
    assert "-m benchmarks.pneumoniamnist --combine   # after the rows it averages" in page
    assert "--model combined" not in page and "-m benchmarks.pneumoniamnist --model poor" in page
    good = results["good"]["test"]
    assert good["auc"] >= 0.97 and good["accuracy"] >= 0.9  # 2 minutes, 2 threads
    assert "**met** by ``good``." in page
    rest = {k: results[k] for k in ("fair", "poor")}
    fair = results["fair"]["test"]
    assert bench_page.target_sentence(rest).endswith(
        f"**not met**. The highest test AUC within the budget is ``fair``'s, "
        f"{fair['auc']:.4f} (DeLong 95 % CI {fair['auc_low']:.3f}-{fair['auc_high']:.3f}) "
        f"with accuracy {fair['accuracy']:.4f} (Wilson 95 % CI {fair['accuracy_ci'][0]:.3f}-"
        f"{fair['accuracy_ci'][1]:.3f}) in 2.0 min."
    )
    # every candidate fixed in advance is named whether or not it is the best row
    rest["planned"] = {**results["poor"], "row": "planned", "combines": ["fair", "poor"]}
    assert bench_page.target_sentence(rest).endswith(
        " ``planned``, fixed in advance, does not meet it: "
        f"{bench_page.score_phrase(results['poor'])}."
    )
    parallel = bench_rows.PLANNED_PARALLEL
    both = {**rest, parallel: {**results["good"], "row": parallel}}
    assert bench_page.target_sentence(both).endswith(
        f"**met** by ``{parallel}``. ``planned``, fixed in advance, does not meet it: "
        f"{bench_page.score_phrase(results['poor'])}. ``{parallel}``, fixed in advance, meets it: "
        f"{bench_page.score_phrase(results['good'])}."
    )
    # ... and named once when it is the best row
    sentence = bench_page.target_sentence({"planned": results["fair"], "poor": results["poor"]})
    assert sentence.endswith(
        "The highest test AUC within the budget is ``planned``'s (fixed in advance), "
        f"{bench_page.score_phrase(results['fair'])}."
    )
    assert sentence.count("planned") == 1


def test_best_two_takes_one_row_per_architecture_by_validation_auc():
    def row(model, auc, test_auc=0.5):
        return {"model": model, "val": {"auc": auc}, "test": {"auc": test_auc}}

    results = {"a1": row("a", 0.95), "a3": row("a", 0.97), "b": row("b", 0.96), "c": row("c", 0.9)}
    assert bench_page.best_two(results) == ["a3", "b"]
    # the test split never decides the pair
    results["c"] = row("c", 0.9, test_auc=0.99)
    assert bench_page.best_two(results) == ["a3", "b"]
    assert bench_page.best_two({"a1": row("a", 0.95), "a3": row("a", 0.97)}) == ["a3"]
    # nor does a combined row (an average of other rows' models)
    results["combined"] = {**row("a + b", 0.99), "combines": ["a3", "b"]}
    assert bench_page.best_two(results) == ["a3", "b"]
    lines = bench_page.best_two_comparison({"a1": row("a", 0.95)})
    assert lines[0] == "Only one architecture has results so far: nothing to compare."


@pytest.mark.parametrize(
    ("preset", "single", "ensembles"),
    [
        ("szanet.pneumoniamnist", "szanet", ("szanet_x3",)),
        ("densenet121.pneumoniamnist", "densenet121", ("densenet121_x2", "densenet121_x4")),
    ],
)
def test_preset_reports_what_the_saved_benchmark_rows_give(preset, single, ensembles):
    results = store.load_results()
    rows = {f"'{key}')": results[key] for key in (single, *ensembles)}
    reported = cxrzoo.get_preset(preset).reported
    assert len(reported) == 5 + 2 * len(ensembles)
    for item in reported:
        row = next(r for tag, r in rows.items() if tag in item.note)
        split = "val" if item.split == "validation" else "test"
        key = {"roc_auc": "auc"}.get(item.metric, item.metric)
        assert round(row[split][key], 4) == item.value


def _saved_row(model, scores, labels, seconds, *, seeds=(0,), size=64, val_auc=None):
    """A saved row result as the script writes it (10 parameters per model)."""
    return {
        "model": model,
        "input_shape": [size, size, 1],
        "seeds": list(seeds),
        "tta": True,
        "params": 10 * len(seeds),
        "train_seconds": seconds,
        "threads": 2,
        "load_average_before": [1.0, 1.0, 1.0],
        "environment": {"cpu_count": 2},
        "val": {"auc": val_auc},
        "scores": scores,
        "labels": labels,
    }


def test_combine_rows_needs_to_beat_the_best_single_row():
    labels = {"val": [0, 0, 1, 1], "test": [0, 1, 0, 1]}

    def row(model, val_scores, seconds, val_auc, size=64):
        scores = {"val": val_scores, "test": [0.2, 0.6, 0.4, 0.9]}
        return _saved_row(model, scores, labels, seconds, size=size, val_auc=val_auc)

    # a: AUC 0.75 (0.6 > 0.5 misranks one pair), b: AUC 0.75; their mean ranks all right
    results = {
        "a": row("a", [0.1, 0.6, 0.5, 0.9], 100, 0.75),
        "b": row("b", [0.4, 0.1, 0.5, 0.3], 100, 0.75, size=32),
        "slow": row("slow", [0.0, 0.1, 0.8, 0.9], 10_000, 1.0),
        "flat": row("flat", [0.5, 0.5, 0.5, 0.5], 1, 0.5),
    }
    combined = ensembles.combine_rows(results, 900)
    assert combined["combines"] == ["a", "b"]
    assert combined["val"]["auc"] == 1.0
    assert combined["train_seconds"] == 200
    assert combined["input_shapes"] == [[64, 64, 1], [32, 32, 1]]
    combined["row"], combined["note"] = "combined", ""
    line = next(
        x for x in bench_page.table_rst({"combined": combined}).splitlines() if "a + b" in x
    )
    assert "64x64x1 + 32x32x1" in line
    assert ensembles.combine_rows({k: results[k] for k in ("a", "flat")}, 900) is None


def test_exploration_rows_change_one_thing_of_a_table_row():
    table, exploring = bench_rows.rows(), bench_rows.exploration_rows()
    assert not set(table) & set(exploring)
    fields = ("model", "input_shape", "recipe", "seeds", "tta", "overrides")
    for key, row in exploring.items():
        base = table[key.split("_")[0]]  # szanet_28 changes szanet
        differs = [f for f in fields if getattr(row, f) != getattr(base, f)]
        assert len(differs) == 1, (key, differs)
        assert row.note
    assert exploring["szanet_bn099"].recipe.batchnorm_momentum is None
    assert exploring["densenet121_48"].input_shape == (48, 48, 1)


def test_exploration_never_predicts_the_test_split():
    import dataclasses

    from cxrzoo.data import synthetic

    row = bench_rows.exploration_rows()["szanet_28"]
    quick = dataclasses.replace(row, recipe=dataclasses.replace(row.recipe, epochs=1))
    data = {
        "train": synthetic(24, size=28, seed=0),
        "val": synthetic(16, size=28, seed=1),
        "test": object(),  # predicting it would fail
    }
    result = run.run_exploration(quick, data, threads=2)
    assert "test" not in result and "test" not in result["scores"]
    assert len(result["scores"]["val"]) == 16 and result["members"][0]["epochs_run"] == 1
    assert 0 <= result["val"]["auc_low"] <= result["val"]["auc"] <= result["val"]["auc_high"] <= 1
    assert result["val"]["method"] == "DeLong"
    page = bench_page.exploration_rst({"szanet_28": result}, {})
    line = next(x for x in page.splitlines() if x.startswith("szanet_28"))
    assert "szanet at 28x28" in line and "28x28x1" in line and "1/1" in line


def test_rerun_is_only_for_table_rows(pneumoniamnist_path):
    with pytest.raises(SystemExit):
        cli.main(["--model", "szanet_28", "--rerun", "--data", str(pneumoniamnist_path)])


def test_ensemble_of_rows_weighs_every_model_the_same():
    labels = {"val": [0, 1, 0, 1], "test": [0, 0, 1, 1]}

    def row(model, seeds, val, test, seconds):
        scores = {"val": val, "test": test}
        return _saved_row(model, scores, labels, seconds, seeds=seeds, size=32)

    results = {
        "pair": row("d", [0, 1], [0.1, 0.7, 0.4, 0.9], [0.2, 0.5, 0.6, 0.8], 600),
        "one": row("s", [0], [0.4, 0.1, 0.7, 0.6], [0.8, 0.2, 0.2, 0.5], 120),
    }
    made = ensembles.ensemble_of_rows(results, ("pair", "one"), "planned", "fixed")
    # the pair's mean stands for two models: (2 * pair + one) / 3, worked out by hand
    np.testing.assert_allclose(made["scores"]["val"], [0.2, 0.5, 0.5, 0.8])
    np.testing.assert_allclose(made["scores"]["test"], [0.4, 0.4, 0.4666667, 0.7])
    assert made["combines"] == ["pair", "one"] and made["row"] == "planned"
    assert made["seeds"] == [0, 1, 0] and made["params"] == 30
    assert made["train_seconds"] == 720
    # test AUC by hand: positives 0.4667, 0.7 against negatives 0.4, 0.4 -> 4/4
    assert made["test"]["auc"] == 1.0


def test_planned_row_is_scored_from_the_saved_rows_and_named_on_the_page(tmp_path, monkeypatch):
    rng = np.random.default_rng(1)
    y_val, y_test = rng.integers(0, 2, 80), rng.integers(0, 2, 90)
    monkeypatch.setattr(store, "RESULTS", tmp_path)
    monkeypatch.setattr(store, "EXPLORATION", tmp_path / "exploration")
    monkeypatch.setattr(store, "DOC", tmp_path / "page.rst")
    monkeypatch.setattr(store, "FIGURE", tmp_path / "roc.png")
    monkeypatch.setattr(store, "ROOT", tmp_path)  # the paths it prints are relative to it
    for key in bench_rows.PLANNED:
        saved = _fake_result(
            key,
            y_val + rng.normal(0, 0.5, 80),
            y_test + rng.normal(0, 0.5, 90),
            y_val,
            y_test,
        )
        (tmp_path / f"{key}.json").write_text(json.dumps(saved))
    assert cli.main(["--planned"]) == 0
    planned = json.loads((tmp_path / "planned.json").read_text())
    assert planned["combines"] == list(bench_rows.PLANNED)
    page = (tmp_path / "page.rst").read_text()
    assert "-m benchmarks.pneumoniamnist --planned   # after the rows it averages" in page
    assert f"{planned['test']['auc']:.4f} (DeLong 95 % CI" in page
    assert "4.0 min" in page  # two rows of 2 minutes


def test_accuracy_sensitivity_specificity_carry_wilson_intervals():
    # 8 negatives, 12 positives; threshold 0.5 from val; test predictions: 6 of 8
    # negatives below it, 9 of 12 positives at or above it -> ACC 15/20, SEN 9/12, SPE 6/8
    y_val = np.r_[np.zeros(4, int), np.ones(4, int)]
    val = np.r_[np.full(4, 0.2), np.full(4, 0.8)]
    y_test = np.r_[np.zeros(8, int), np.ones(12, int)]
    test = np.r_[np.full(6, 0.1), np.full(2, 0.9), np.full(9, 0.9), np.full(3, 0.1)]
    scored = protocol.evaluate_scores(y_val, val, y_test, test)["test"]

    def wilson(x, n, z=1.959963984540054):  # the score interval, by its formula
        p = x / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return [centre - half, centre + half]

    assert scored["accuracy"] == 0.75
    np.testing.assert_allclose(scored["accuracy_ci"], wilson(15, 20), rtol=1e-12)
    np.testing.assert_allclose(scored["sensitivity_ci"], wilson(9, 12), rtol=1e-12)
    np.testing.assert_allclose(scored["specificity_ci"], wilson(6, 8), rtol=1e-12)
    assert scored["proportion_ci_method"] == "Wilson"
    saved = _saved_row("m", {}, {}, 60.0, size=32, val_auc=1.0)
    line = bench_page.table_rst({"r": {**saved, "threshold": 0.5, "test": scored}}).splitlines()[3]
    low, high = wilson(15, 20)
    assert f"0.7500 ({low:.3f}-{high:.3f})" in line


def test_candidates_note_compares_the_two_densenet_ensembles():
    def row(val_auc, test_auc):
        return {"val": {"auc": val_auc}, "test": {"auc": test_auc}}

    assert bench_page.candidates_note({"densenet121_x2": row(0.99, 0.97)}) == []
    results = {
        "densenet121_x2": row(0.9960, 0.9691),
        bench_rows.PLANNED_PARALLEL: row(0.9971, 0.9665),
        "szanet": row(0.9924, 0.9615),
    }
    text = " ".join(bench_page.candidates_note(results))
    assert "had the highest validation AUC of any row (0.9971, against 0.9960" in text
    assert "a test AUC of 0.9665 against 0.9691" in text
    results["szanet"] = row(0.9990, 0.9)
    assert "had a higher validation AUC" in " ".join(bench_page.candidates_note(results))


def test_rerun_sentence_names_how_the_row_was_trained():
    check = {
        "row": "densenet121_x4",
        "threads": 2,
        "jobs": 2,
        "max_abs_test_score_difference": 0.0,
        "test_auc": [0.9665, 0.9665],
        "abs_test_auc_difference": 0.0,
        "abs_test_accuracy_difference": 0.0,
        "train_seconds": [750.0, 738.0],
    }
    text = " ".join(bench_page.rerun_sentence(check))
    assert "``--model densenet121_x4 --rerun``" in text
    assert "(2 models at a time, 1 thread each)" in text
    assert "at most 0 (test AUC 0.9665 vs 0.9665" in text
    assert "took 12.3 min against 12.5 min" in text
    legacy = {k: v for k, v in check.items() if k != "jobs"}  # saved before rows had jobs
    assert "(2 threads)" in " ".join(bench_page.rerun_sentence(legacy))


def test_split_similarity_finds_near_copies_whatever_their_brightness():
    rng = np.random.default_rng(0)
    train = rng.integers(0, 256, (20, 6, 6)).astype(np.uint8)
    # validation: two training images with brightness and contrast changed (correlation 1)
    # and one unrelated image; test: unrelated images only
    val = np.stack([train[3] * 0.5 + 10, train[7] * 0.25 + 100, rng.integers(0, 256, (6, 6))])
    test = rng.integers(0, 256, (4, 6, 6))
    out = similarity.split_similarity({"train": train, "val": val, "test": test})
    assert out["val"]["near_copies"] == 2 and out["val"]["images"] == 3
    assert out["test"]["near_copies"] == 0 and out["test"]["images"] == 4
    # the unrelated validation image: its nearest training image, by hand
    z = lambda x: (x - x.mean()) / np.linalg.norm(x - x.mean())  # noqa: E731
    flat = val[2].reshape(-1).astype(float)
    nearest = max(float(z(flat) @ z(t.reshape(-1).astype(float))) for t in train)
    assert out["val"]["quartiles"][0] == pytest.approx(
        np.percentile([nearest, 1.0, 1.0], 25), abs=1e-6
    )
    # a constant image has no correlation: counted as 0, not NaN
    flat_val = {"train": train, "val": np.full((1, 6, 6), 7), "test": test}
    assert similarity.split_similarity(flat_val)["val"]["quartiles"] == [0.0, 0.0, 0.0]


def test_gap_section_states_the_distance_to_the_target():
    def row(val_auc, test_auc, right, low, high, spe=(0.97, 0.8)):
        y = [0] * 10 + [1] * 10
        return {
            "val": {"auc": val_auc, "sensitivity": 0.95, "specificity": spe[0]},
            "test": {
                "auc": test_auc,
                "auc_low": low,
                "auc_high": high,
                "auc_se": (high - low) / (2 * 1.959964),  # an unclipped DeLong interval's
                "confusion_matrix": [[right - 300, 0], [624 - right, 300]],
                "sensitivity": 0.96,
                "specificity": spe[1],
            },
            "labels": {"val": y},
            "scores": {"val": [i / 20 for i in range(20)]},
        }

    results = {
        "a": row(0.990, 0.950, 540, 0.93, 0.97),
        "b": row(0.995, 0.965, 555, 0.95, 0.98, spe=(0.99, 0.7)),
        "planned": row(0.996, 0.9697, 561, 0.9697 - 0.0118, 0.9697 + 0.0118),
    }
    lines = bench_page.gap_section(results, None)
    assert lines[0].startswith("How close")
    assert lines[3] == (
        "* ``planned`` misses the AUC target by 0.0003, 0.05 of its DeLong standard error "
        "(0.0060), and the accuracy target by 1 test image (561 of 624 right; accuracy 0.90 "
        "needs 562)."
    )
    assert "over the 3 rows: 1.00" in lines[4]
    assert "specificity is 0.70-0.80 on test against 0.97-0.99 on validation" in lines[5]
    assert not any("near-copy" in line for line in lines)
    similarity = {
        "near": 0.99,
        "val": {"quartiles": [0.8, 0.884, 0.9], "near_copies": 8, "images": 524},
        "test": {"quartiles": [0.8, 0.889, 0.9], "near_copies": 0, "images": 624},
    }
    text = " ".join(bench_page.gap_section(results, similarity))
    assert "median 0.884 for validation and 0.889 for test; 8 of 524 validation" in text
    # no candidate fixed in advance saved: nothing to say
    assert bench_page.gap_section({k: results[k] for k in ("a", "b")}, None) == []


def _as_cxrzoo_evaluate_scores(y_val, val_scores, y_test, test_scores):
    """The numbers :func:`cxrzoo.evaluate` reports for these scores, by the calls it makes:
    ``cxreval.operating_point(criterion="youden")`` on validation, then ``cxreval.evaluate``
    at that threshold (the positive class is label 1, the larger)."""
    import cxreval

    point = cxreval.operating_point(y_val, val_scores, criterion="youden")
    report = cxreval.evaluate(y_test, test_scores, threshold=float(point.threshold))
    return point, report


def _same_as_report(ours, point, report):
    auc, stats = report.auc["1"], report.statistics
    assert ours["threshold"] == point.threshold
    assert ours["val"]["accuracy"] == point.statistics.accuracy
    assert ours["val"]["sensitivity"] == point.statistics.recall
    assert ours["val"]["specificity"] == point.statistics.specificity
    t = ours["test"]
    assert (t["auc"], t["auc_low"], t["auc_high"], t["auc_se"]) == (
        auc.auc,
        auc.low,
        auc.high,
        auc.se,
    )
    assert (t["accuracy"], t["sensitivity"], t["specificity"], t["f1"]) == (
        stats.accuracy,
        stats.recall,
        stats.specificity,
        stats.f1,
    )
    assert t["accuracy_ci"] == list(stats.ci["accuracy"])
    assert t["sensitivity_ci"] == list(stats.ci["recall"])
    assert t["specificity_ci"] == list(stats.ci["specificity"])
    assert t["confusion_matrix"] == stats.confusion_matrix.tolist()


def test_protocol_gives_what_cxrzoo_evaluate_gives_on_every_saved_row():
    # the page is rebuilt from saved scores (no model to hand to cxrzoo.evaluate), so the
    # protocol must give, bit for bit, the numbers of the calls cxrzoo.evaluate makes
    saved = store.load_saved(store.RESULTS, bench_rows.rows())
    assert len(saved) >= 9
    for r in saved.values():
        y_val, y_test = np.asarray(r["labels"]["val"]), np.asarray(r["labels"]["test"])
        val, test = np.asarray(r["scores"]["val"]), np.asarray(r["scores"]["test"])
        ours = protocol.evaluate_scores(y_val, val, y_test, test)
        _same_as_report(ours, *_as_cxrzoo_evaluate_scores(y_val, val, y_test, test))


def test_run_driver_scores_an_ensemble_as_cxrzoo_evaluate_does():
    # a row's scores: each seed's flip-TTA probabilities, averaged as train_row does
    from cxrzoo.data import synthetic

    members = [
        cxrzoo.train(
            "szanet",
            synthetic(40, size=32),
            input_shape=(32, 32, 1),
            epochs=1,
            seed=seed,
            verbose=0,
        )
        for seed in (0, 1)
    ]
    data = {"val": synthetic(30, size=32, seed=1), "test": synthetic(40, size=32, seed=2)}
    val, test = (
        np.mean([run.member_scores(m.model, data[split], tta=True) for m in members], axis=0)
        for split in ("val", "test")
    )
    evaluation = cxrzoo.evaluate(members, data, tta="flip", batch_size=256, criterion="youden")
    np.testing.assert_array_equal(evaluation.y_score, test)
    ours = protocol.evaluate_scores(data["val"].labels, val, data["test"].labels, test)
    report = evaluation.report
    assert report.threshold == ours["threshold"]
    assert report.auc["pneumonia"].auc == ours["test"]["auc"]
    assert (report.auc["pneumonia"].low, report.auc["pneumonia"].high) == (
        ours["test"]["auc_low"],
        ours["test"]["auc_high"],
    )
    assert report.statistics.accuracy == ours["test"]["accuracy"]
    assert report.statistics.f1 == ours["test"]["f1"]
    assert report.statistics.confusion_matrix.tolist() == ours["test"]["confusion_matrix"]


def test_ruling_judges_the_target_with_the_confidence_intervals():
    """The page's lead: the best row fixed in advance, judged by whether its DeLong CI of
    the AUC and its Wilson CI of the accuracy reach the target (0.97, 0.90)."""

    def row(auc, low, high, acc, acc_ci, seconds=700):
        return {
            "train_seconds": seconds,
            "test": {
                "auc": auc,
                "auc_low": low,
                "auc_high": high,
                "accuracy": acc,
                "accuracy_ci": list(acc_ci),
                "proportion_ci_method": "Wilson",
            },
        }

    planned = row(0.9697, 0.958, 0.981, 0.899, (0.873, 0.920))
    said = bench_page.ruling({"planned": planned})
    assert "consulted about twenty times" in said
    assert (
        "``planned``, has test AUC 0.9697 (DeLong 95 % CI 0.958-0.981) and accuracy 0.899 "
        "(Wilson 95 % CI 0.873-0.920): it is consistent with the target." in said
    )
    assert said.endswith("No further candidate is scored on this test split.")
    # the accuracy interval stops short of 0.90: not consistent
    short = row(0.9697, 0.958, 0.981, 0.85, (0.82, 0.88))
    assert "it is not consistent with the target" in bench_page.ruling({"planned": short})
    # both point estimates reach it: met outright
    met = row(0.975, 0.96, 0.99, 0.91, (0.885, 0.93))
    assert "it meets the target outright" in bench_page.ruling({"planned": met})
    # over the time budget: no row fixed in advance counts
    slow = row(0.975, 0.96, 0.99, 0.91, (0.885, 0.93), seconds=16 * 60)
    assert bench_page.ruling({"planned": slow}).endswith("trained within the time budget.")
