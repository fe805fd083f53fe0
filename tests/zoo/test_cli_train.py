"""The ``cxrzoo train``, ``evaluate`` and ``demo`` commands, end to end."""

import json

import numpy as np
import pytest
from test_cli import BARE, MODULE_MAIN
from test_data_loaders import make_tree
from tests._helpers import run_snippet

from cxrzoo.cli import main


def one_line_error(capsys, command):
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"cxrzoo {command}: error: ")
    return err[0]


@pytest.mark.slow
def test_demo_on_synthetic_data(tmp_path, capsys):
    out = tmp_path / "demo"
    args = ["demo", "--phantoms", "--n", "150", "--size", "32", "--epochs", "1", "--out", str(out)]
    assert main(args) == 0
    captured = capsys.readouterr()
    printed = captured.out
    assert "SZANet (002) at 32x32x1 on 150 + 50 synthetic phantoms" in printed
    assert "tested on held-out phantoms" in printed
    assert "epoch 1/1: 100%" in captured.err  # one progress bar per epoch ...
    assert " - loss: " not in printed  # ... instead of Keras' own lines
    assert "read every number with its 95 % confidence interval" in printed
    assert f"weights to use: {out / 'training' / 'model.weights.h5'}" in printed
    info = json.loads((out / "training" / "train.json").read_text())
    assert info["kept_epoch"] == {
        "phase": 1,
        "epoch": 0,
        "rule": "the lowest val_loss of phase 1, restored by early stopping",
    }
    assert info["files"]["model.weights.h5"].startswith("the trained weights: use these")
    assert set(info["files"]) == {p.name for p in (out / "training").iterdir()}
    for path in out.rglob("*"):  # a colleague on a shared drive can read every output
        assert path.stat().st_mode & 0o044 == 0o044, path
    assert "statmaker: binary confusion matrix" in printed
    assert "95% CI" in printed and "DeLong" in printed and "Youden's J" in printed
    assert (out / "training" / "history.csv").is_file()
    assert (out / "training" / "training_curves.png").is_file()
    report = json.loads((out / "evaluation" / "report" / "report.json").read_text())
    assert report["n"] == 50 and report["auc"]["pneumonia"]["method"] == "DeLong"
    assert (out / "evaluation" / "figures" / "roc_curve.png").is_file()
    # an earlier demo's folder is replaced only on request
    assert main([*args, "--quiet"]) == 1
    assert "exists and is not empty" in one_line_error(capsys, "demo")


def test_demo_force_replaces_the_old_output_only_once_the_new_one_is_complete(tmp_path, capsys):
    out = tmp_path / "demo"
    for part in ("training", "evaluation"):
        (out / part).mkdir(parents=True)
        (out / part / "earlier.txt").write_text("an earlier demo")
    argv = ["demo", "--out", str(out), "--force", "--quiet"]
    assert main([*argv, "--data", str(tmp_path / "nonexistent")]) == 1
    assert "does not exist" in one_line_error(capsys, "demo")
    assert (out / "training" / "earlier.txt").is_file()  # nothing deleted
    assert (out / "evaluation" / "earlier.txt").is_file()
    assert main([*argv, "--phantoms", "--n", "40", "--size", "32", "--epochs", "1"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["evaluation", "training"]  # no stage left
    assert not (out / "training" / "earlier.txt").exists()
    assert (out / "evaluation" / "report" / "report.json").is_file()
    info = json.loads((out / "training" / "train.json").read_text())
    assert info["out"] == str(out / "training")


def test_demo_runs_on_the_shipped_pneumoniamnist_by_default(capsys):
    from cxrzoo.cli import build_parser, demo_data

    args = build_parser().parse_args(["demo"])
    data, test, source, tested = demo_data(args)
    assert source.startswith("PneumoniaMNIST (MedMNIST v2, shipped with cxrzoo: real pediatric")
    assert tested.startswith("MedMNIST's official test split (624 images")
    assert (len(data["train"]), len(data["val"]), len(test)) == (4708, 524, 624)
    assert args.size == 28  # its own size
    phantoms = build_parser().parse_args(["demo", "--phantoms", "--n", "30"])
    assert demo_data(phantoms)[2].startswith("30 + 20 synthetic phantoms (64x64, not X-rays)")
    assert main(["demo", "--n", "30", "--out", "unused"]) == 1
    assert "--n applies to --phantoms only" in one_line_error(capsys, "demo")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--phantoms", "--data", "x.npz"])


def test_demo_on_real_npz(pneumoniamnist_path, tmp_path, capsys):
    # PneumoniaMNIST's own val and test splits, 256 of its 4,708 training images (for speed)
    with np.load(pneumoniamnist_path) as f:
        splits = {key: f[key][:256] if key.startswith("train") else f[key] for key in f.files}
    np.savez(tmp_path / "pneumoniamnist.npz", **splits)
    out = tmp_path / "demo"
    argv = ["demo", "--data", str(tmp_path / "pneumoniamnist.npz"), "--size", "28", "--epochs", "1"]
    assert main([*argv, "--batch-size", "64", "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "n = 624" in printed  # the official test split
    assert "validation data, n = 524" in printed  # the threshold chosen on the val split


def test_train_then_evaluate_a_folder(tmp_path, capsys):
    layout = {"NORMAL": 6, "PNEUMONIA": 6, "TUBERCULOSIS": 2}
    make_tree(tmp_path / "data", {"train": layout, "val": layout, "test": layout})
    run = tmp_path / "run"
    argv = ["train", "szanet", "--data", str(tmp_path / "data"), "--out", str(run)]
    argv += ["--input-size", "32", "--channels", "1", "--epochs", "1", "--quiet"]
    assert main([*argv, "--drop", "TUBERCULOSIS"]) == 0  # as 001 dropped it
    assert "szanet.gupta trained on 12 images" in capsys.readouterr().out
    assert json.loads((run / "train.json").read_text())["settings"]["n_val"] == 12
    # the same --out with other settings: refused before training, naming the difference
    assert main([*argv, "--drop", "TUBERCULOSIS", "--epochs", "2"]) == 1
    assert f"out={str(run)!r} holds a run with other settings (epochs: 1 -> 2); only the " in (
        one_line_error(capsys, "train")
    )
    report = tmp_path / "report"
    argv = ["evaluate", str(run), "--data", str(tmp_path / "data"), "--out", str(report)]
    argv += ["--drop", "TUBERCULOSIS"]
    assert main([*argv, "--criterion", "sensitivity", "--target", "0.9"]) == 0
    printed = capsys.readouterr().out
    assert "sensitivity >= 0.9 on validation data, n = 12" in printed
    assert json.loads((report / "report" / "report.json").read_text())["n"] == 12
    # an earlier evaluation is replaced only with --force, and refused naming its files
    before = (report / "predictions.csv").read_bytes()
    assert main(argv) == 1
    assert (
        f"{str(report)!r} already holds an evaluation (report/report.txt, report/report.json, "
        "report/report.html, evaluation.json, predictions.csv); choose another folder or "
        "pass force=True (--force) to replace it"
    ) in one_line_error(capsys, "evaluate")
    assert (report / "predictions.csv").read_bytes() == before
    assert main([*argv, "--force"]) == 0
    assert "threshold" in capsys.readouterr().out
    # the same run twice as an ensemble, with flip TTA: the report names both
    both = tmp_path / "both"
    argv = ["evaluate", str(run), str(run), "--data", str(tmp_path / "data"), "--out", str(both)]
    assert main([*argv, "--drop", "TUBERCULOSIS", "--tta", "flip"]) == 0
    saved = json.loads((both / "report" / "report.json").read_text())
    assert saved["name"] == "mean of szanet_gupta + szanet_gupta, flip TTA"
    assert main([*argv[:2], str(tmp_path / "nope"), *argv[2:]]) == 1
    assert "does not exist" in one_line_error(capsys, "evaluate")


def test_train_several_seeds_then_evaluate_them_as_an_ensemble(tmp_path, capsys):
    layout = {"NORMAL": 6, "PNEUMONIA": 6}
    make_tree(tmp_path / "data", {"train": layout, "val": layout, "test": layout})
    runs = tmp_path / "runs"
    argv = ["train", "szanet", "--data", str(tmp_path / "data"), "--out", str(runs)]
    argv += ["--input-size", "32", "--channels", "1", "--epochs", "1", "--quiet"]
    assert main([*argv, "--seeds", "3", "1"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("szanet.gupta trained on 12 images") == 2
    assert "(seed 3)" in printed and "(seed 1)" in printed
    for seed in (3, 1):
        assert json.loads((runs / f"seed{seed}" / "train.json").read_text())["seed"] == seed
    hint = f"cxrzoo evaluate {runs / 'seed3'} {runs / 'seed1'} --data {tmp_path / 'data'}"
    assert hint in printed
    report = tmp_path / "report"
    argv = ["evaluate", str(runs / "seed3"), str(runs / "seed1"), "--data", str(tmp_path / "data")]
    assert main([*argv, "--out", str(report)]) == 0
    saved = json.loads((report / "report" / "report.json").read_text())
    assert saved["name"] == "mean of szanet_gupta + szanet_gupta"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--seeds", "0", "1", "--folds", "2"], "give --seeds or --folds, not both"),
        (["--seeds", "0", "1", "--seed", "4"], "give --seed or --seeds, not both"),
        (["--jobs", "2"], "--jobs and --threads apply to --seeds or --folds"),
        (["--threads", "1"], "--jobs and --threads apply to --seeds or --folds"),
        (["--folds", "2", "--jobs", "0"], "jobs must be a positive integer, got 0"),
        (["--seeds", "0", "0"], "seeds must be distinct"),
        (["--seeds", "0", "1", "--jobs", "0"], "jobs must be a positive integer, got 0"),
    ],
)
def test_bad_seed_options_one_line_errors(tmp_path, capsys, extra, message):
    make_tree(tmp_path / "data", {"train": {"A": 2, "B": 2}})
    argv = ["train", "szanet", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "o")]
    assert main([*argv, *extra]) == 1
    assert message in one_line_error(capsys, "train")
    assert not (tmp_path / "o").exists()  # nothing trained, nothing written


def test_bad_input_one_line_errors(tmp_path, capsys):
    missing = str(tmp_path / "missing")
    assert main(["train", "szanet", "--data", missing, "--out", str(tmp_path / "o")]) == 1
    assert "does not exist" in one_line_error(capsys, "train")
    (tmp_path / "empty" / "train" / "NORMAL").mkdir(parents=True)
    assert main(["demo", "--data", str(tmp_path / "empty"), "--out", str(tmp_path / "d")]) == 1
    assert "no images" in one_line_error(capsys, "demo")
    make_tree(tmp_path / "one", {"train": {"NORMAL": 3}})
    argv = ["train", "szanet", "--data", str(tmp_path / "one"), "--out", str(tmp_path / "o")]
    assert main([*argv, "--input-size", "32"]) == 1
    assert "one class only (['NORMAL'])" in one_line_error(capsys, "train")
    make_tree(tmp_path / "two", {"train": {"A": 2, "B": 2}})
    argv = ["train", "szanett", "--data", str(tmp_path / "two"), "--out", str(tmp_path / "o")]
    assert main(argv) == 1
    assert "did you mean 'szanet'" in one_line_error(capsys, "train")
    argv = ["train", "szanet", "--data", str(tmp_path / "two"), "--out", str(tmp_path / "o")]
    assert main([*argv, "--task", "bacteria_virus"]) == 1
    assert "--task applies to a CoronaHack metadata .csv only" in one_line_error(capsys, "train")
    argv = ["evaluate", missing, "--data", str(tmp_path / "two"), "--out", str(tmp_path / "e")]
    assert main(argv) == 1
    assert f"model {missing!r} does not exist" in one_line_error(capsys, "evaluate")


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ("0", "--input-size must be an integer >= 1, got 0"),
        ("-3", "--input-size must be an integer >= 1, got -3"),
        (
            "8",
            "input_shape (8, 8, 1) is too small for szanet.gupta: height and width must be >= 22",
        ),
    ],
)
def test_bad_input_size_one_line_errors(tmp_path, capsys, size, message):
    make_tree(tmp_path / "data", {"train": {"A": 2, "B": 2}})
    argv = ["train", "szanet", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "o")]
    assert main([*argv, "--input-size", size, "--channels", "1", "--quiet"]) == 1
    assert one_line_error(capsys, "train") == f"cxrzoo train: error: {message}"
    assert not (tmp_path / "o").exists()  # nothing trained, nothing written


def test_error_messages_lose_terminal_colour_codes(capsys):
    from cxrzoo.cli import _fail

    assert _fail("train", ValueError("\x1b[1mComputed output size\x1b[0m\n  is zero")) == 1
    assert one_line_error(capsys, "train") == "cxrzoo train: error: Computed output size is zero"


def test_console_entry_point_exit_status(tmp_path):
    missing = tmp_path / "missing"
    done = run_snippet(MODULE_MAIN, "demo", "--data", str(missing), env=BARE)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"cxrzoo demo: error: data path {str(missing)!r} does not exist"
    ]
