"""Training recipes: learning, outputs, resume, two phases, k-fold, schedules, hardware."""

import csv
import dataclasses
import json
import math
import re

import keras
import numpy as np
import pytest
import tensorflow as tf
from _models import frozen_base_model, tiny_cnn
from sklearn.metrics import roc_auc_score

from cxrzoo import Augmentation, ClassWeight, FineTune, Loss, Schedule, get_preset
from cxrzoo.data import ImageSet, make_dataset, synthetic
from cxrzoo.training import cross_validate, load_trained, train


def with_recipe(**changes):
    """SZANet's preset with recipe fields changed."""
    preset = get_preset("szanet")
    return dataclasses.replace(preset, recipe=dataclasses.replace(preset.recipe, **changes))


def scores(model, images):
    p = make_dataset(images, size=model.input_shape[1], channels=model.input_shape[3])
    return model.predict(p.dataset.map(lambda x, y: x), verbose=0)


@pytest.mark.slow
def test_short_training_learns(tmp_path):
    result = train(
        tiny_cnn(), synthetic(600, size=32, seed=1), epochs=8, learning_rate=3e-3, verbose=0
    )
    test = synthetic(300, size=32, seed=2)
    auc = roc_auc_score(test.labels, scores(result.model, test)[:, 0])
    assert auc > 0.85  # chance is 0.5
    assert [r["epoch"] for r in result.history] == list(range(8))
    assert result.history[-1]["loss"] < result.history[0]["loss"]
    assert result.settings["n_train"] == 480 and result.settings["n_val"] == 120  # 80/20


def test_named_model_outputs_and_reload(tmp_path):
    data = synthetic(40, size=32, seed=0)
    result = train("szanet", data, input_shape=(32, 32, 1), epochs=2, out=tmp_path, verbose=0)
    names = {p.name for p in tmp_path.iterdir()}
    assert {"history.csv", "training_curves.png", "model.weights.h5", "train.json"} <= names
    assert "checkpoint.weights.h5" in names and "phase1.weights.h5" in names
    assert not (tmp_path / "backup" / "phase1").exists()  # removed when a phase completes
    info = json.loads((tmp_path / "train.json").read_text())
    assert info["name"] == "szanet.gupta" and info["settings"]["input_shape"] == [32, 32, 1]
    # 002's recipe: balanced class weights, 80/20 validation split, Adam 5e-5
    assert info["class_weight"] == {"0": 1.0, "1": 1.0}
    assert info["settings"]["learning_rate"] == 5e-5
    with open(tmp_path / "history.csv") as f:
        rows = list(csv.DictReader(f))
    assert [(r["phase"], r["epoch"]) for r in rows] == [("1", "0"), ("1", "1")]
    assert {"loss", "val_loss", "binary_accuracy", "auc", "learning_rate"} <= set(rows[0])
    model, class_names = load_trained(tmp_path)
    assert class_names == ("normal", "pneumonia")
    np.testing.assert_allclose(scores(model, data), scores(result.model, data), rtol=1e-5)
    assert "szanet.gupta trained on 32 images" in str(result)


class Interrupt(keras.callbacks.Callback):
    """Stops the process-like run after ``at`` epochs, as a kill would."""

    def __init__(self, at):
        super().__init__()
        self.at = at

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 == self.at:
            raise KeyboardInterrupt


class Epochs(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_epoch_begin(self, epoch, logs=None):
        self.seen.append(epoch)


def test_killed_run_resumes(tmp_path):
    # Rahman's "Arch 1" at 16x16: a named model that compiles and trains in a few seconds
    data = synthetic(40, size=16, seed=0)
    kwargs = {"input_shape": (16, 16, 1), "epochs": 4, "out": tmp_path, "verbose": 0}
    arch1 = get_preset("rahman_arch1")
    preset = dataclasses.replace(arch1, recipe=dataclasses.replace(arch1.recipe, callbacks=()))
    # no callbacks (no early stopping): all four epochs run
    with pytest.raises(KeyboardInterrupt):
        train("rahman_arch1", data, preset=preset, callbacks=[Interrupt(2)], **kwargs)
    assert (tmp_path / "backup" / "phase1").is_dir()
    epochs = Epochs()
    result = train("rahman_arch1", data, preset=preset, callbacks=[epochs], **kwargs)
    assert epochs.seen == [2, 3]  # continued after the two finished epochs
    assert [r["epoch"] for r in result.history] == [0, 1, 2, 3]  # no duplicates, none lost
    again = Epochs()
    train("rahman_arch1", data, preset=preset, callbacks=[again], **kwargs)
    assert again.seen == []  # a finished run is not trained again


def test_a_run_with_other_settings_is_refused_in_a_used_folder(tmp_path):
    data = synthetic(40, size=32, seed=0)
    kwargs = {"input_shape": (32, 32, 1), "batch_size": 8, "out": tmp_path, "verbose": 0}
    train("szanet", data, epochs=1, **kwargs)
    record = json.loads((tmp_path / "run.json").read_text())
    assert record["epochs"] == 1 and record["seed"] == 0 and record["input_shape"] == [32, 32, 1]
    assert record["preset"]["name"] == "szanet.gupta"
    # what the report says does not decide the run: a preset's new reported number or
    # description does not block resuming
    assert not {"description", "source", "reported", "reconstructed"} & set(record["preset"])
    assert record["model"]["input_shape"] == [224, 224, 3]  # the preset's; built at 32
    assert record["train_data"]["images"] == 32 and record["validation_data"]["images"] == 8
    epochs = Epochs()
    message = (
        f"out={str(tmp_path)!r} holds a run with other settings (epochs: 1 -> 3; "
        "learning_rate: 5e-05 -> 0.01); only the same command resumes there: give a new out "
        "folder, or delete that one to start over"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        train("szanet", data, epochs=3, learning_rate=1e-2, callbacks=[epochs], **kwargs)
    assert epochs.seen == []  # refused before training
    with pytest.raises(ValueError, match=r"\(seed: 0 -> 1; train_data\.sha256: '"):
        train("szanet", data, epochs=1, seed=1, **kwargs)
    with pytest.raises(ValueError, match=r"\(train_data\.sha256: '.*validation_data\.sha256"):
        train("szanet", synthetic(40, size=32, seed=9), epochs=1, **kwargs)
    assert json.loads((tmp_path / "run.json").read_text()) == record  # left as it was
    train("szanet", data, epochs=1, callbacks=[epochs], **kwargs)  # the same command: fine
    assert epochs.seen == []


def test_cross_validation_with_other_settings_is_refused_in_a_used_folder(tmp_path):
    data = synthetic(20, size=32, seed=0)
    cross_validate(tiny_cnn(), data, folds=2, epochs=1, out=tmp_path, verbose=0)
    assert json.loads((tmp_path / "fold1" / "run.json").read_text())["model"] == {
        "input_shape": [32, 32, 1],
        "parameters": 80 + 1168 + 577,  # conv 3x3x1x8, conv 3x3x8x16, dense 6*6*16+1
    }
    message = (
        f"out={str(tmp_path / 'fold1')!r} holds a run with other settings (batch_size: 32 -> 8)"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        cross_validate(tiny_cnn(), data, folds=2, epochs=1, batch_size=8, out=tmp_path, verbose=0)


def test_the_same_command_with_a_rebuilt_unnamed_model_resumes(tmp_path):
    # Keras numbers unnamed models per session ("functional", "functional_1"): a notebook
    # cell run again rebuilds the model under another name, yet it is the same run
    def unnamed():
        inputs = keras.Input((32, 32, 1))
        outputs = keras.layers.Dense(1, activation="sigmoid")(keras.layers.Flatten()(inputs))
        return keras.Model(inputs, outputs)

    data = synthetic(20, size=32, seed=0)
    first, second = unnamed(), unnamed()
    assert first.name != second.name
    train(first, data, epochs=1, out=tmp_path, verbose=0)
    epochs = Epochs()
    train(second, data, epochs=1, out=tmp_path, callbacks=[epochs], verbose=0)
    assert epochs.seen == []  # finished before: not trained again, not refused


def test_file_data_is_identified_by_its_paths_below_their_common_folder(tmp_path, monkeypatch):
    from cxrzoo.training.record import data_identity

    names = ["normal/a.png", "pneumonia/b.png", "pneumonia/c.png"]

    def split(root):
        return ImageSet(
            ("normal", "pneumonia"), [0, 1, 1], paths=tuple(f"{root}/{n}" for n in names)
        )

    monkeypatch.chdir(tmp_path)
    absolute = data_identity(split(str(tmp_path / "data" / "train")))
    assert data_identity(split("data/train")) == absolute  # relative, same folder
    assert data_identity(split(str(tmp_path / "moved" / "train"))) == absolute  # moved
    renamed = ImageSet(("normal", "pneumonia"), [0, 1, 1], paths=("x/a.png", "x/b.png", "y/c.png"))
    assert data_identity(renamed)["sha256"] != absolute["sha256"]


def test_two_phase_fine_tuning():
    model = frozen_base_model()
    base = model.get_layer("base")
    before = [w.copy() for w in base.get_weights()]
    preset = with_recipe(callbacks=(), learning_rate=1e-2, fine_tune=FineTune(1e-5, epochs=2))
    phases = []

    class Watch(keras.callbacks.Callback):
        def on_train_end(self, logs=None):
            phases.append([w.copy() for w in base.get_weights()])

    result = train(model, synthetic(40, size=32), preset=preset, epochs=2, callbacks=[Watch()],
                   verbose=0)  # fmt: skip
    # phase 1 trains the head only: the frozen base is unchanged
    assert all(np.array_equal(a, b) for a, b in zip(before, phases[0], strict=True))
    # phase 2 unfreezes the base and trains it at 1e-5
    assert base.trainable
    assert not all(np.array_equal(a, b) for a, b in zip(before, phases[1], strict=True))
    assert [(r["phase"], r["epoch"]) for r in result.history] == [(1, 0), (1, 1), (2, 0), (2, 1)]
    assert [r["learning_rate"] for r in result.history] == pytest.approx([1e-2, 1e-2, 1e-5, 1e-5])
    skip = train(frozen_base_model(), synthetic(40, size=32), preset=preset, epochs=1,
                 fine_tune_epochs=0, verbose=0)  # fmt: skip
    assert {r["phase"] for r in skip.history} == {1}


def same_weights(model, file):
    twin = keras.models.clone_model(model)
    twin.load_weights(file)
    return all(
        np.array_equal(a, b) for a, b in zip(twin.get_weights(), model.get_weights(), strict=True)
    )


def test_checkpoint_keeps_the_best_epoch_of_the_whole_run(tmp_path):
    # phase 2 at a rate that blows the loss up: its epochs are worse than phase 1's
    preset = with_recipe(callbacks=(), learning_rate=1e-2, fine_tune=FineTune(50.0, epochs=2))
    result = train(frozen_base_model(), synthetic(40, size=32), preset=preset, epochs=1,
                   out=tmp_path, verbose=0)  # fmt: skip
    val = {(r["phase"], r["epoch"]): r["val_loss"] for r in result.history}
    assert min(val, key=val.get) == (1, 0)  # the best epoch is phase 1's only one
    phase1 = frozen_base_model()
    phase1.load_weights(tmp_path / "phase1.weights.h5")
    assert same_weights(phase1, tmp_path / "checkpoint.weights.h5")


def test_checkpoint_after_a_resume_starts_from_the_best_epoch_before(tmp_path):
    from cxrzoo.training.callbacks import BestWeights

    model, file = tiny_cnn(), tmp_path / "checkpoint.weights.h5"
    model.save_weights(file)
    saved = file.read_bytes()
    rows = [{"phase": 1, "epoch": 0, "val_loss": 0.5}, {"phase": 1, "epoch": 1, "val_loss": 0.6}]
    best = BestWeights(file, "val_loss", rows)
    best.set_model(tiny_cnn(seed=1))
    best.on_epoch_end(2, {"val_loss": 0.55})  # worse than epoch 0: the file stays
    assert best.best == 0.5 and file.read_bytes() == saved
    best.on_epoch_end(3, {"val_loss": 0.45})
    assert best.best == 0.45 and same_weights(tiny_cnn(seed=1), file)
    fresh = BestWeights(tmp_path / "none.weights.h5", "val_loss", rows)
    assert fresh.best == math.inf  # rows without their weights file do not count


class Crash(Exception):
    pass


def test_checkpoint_and_backup_survive_a_crash_while_writing(tmp_path, monkeypatch):
    from cxrzoo.training.callbacks import Backup, BestWeights

    model = tiny_cnn()
    best = BestWeights(tmp_path / "checkpoint.weights.h5", "loss", [])
    backup = Backup(str(tmp_path / "backup"))
    for callback in (best, backup):
        callback.set_model(model)
    best.on_epoch_end(0, {"loss": 1.0})
    backup.on_epoch_end(0)
    files = sorted(tmp_path.rglob("*"))
    contents = {f: f.read_bytes() for f in files if f.is_file()}
    assert json.loads((tmp_path / "backup" / "training_metadata.json").read_text())["epoch"] == 1

    def killed_while_writing(self, filepath, **kwargs):
        with open(filepath, "wb") as f:
            f.write(b"half an HDF5 file")
        raise Crash

    monkeypatch.setattr(keras.Model, "save_weights", killed_while_writing)
    with pytest.raises(Crash):
        best.on_epoch_end(1, {"loss": 0.5})
    with pytest.raises(Crash):
        backup.on_epoch_end(1)
    assert sorted(tmp_path.rglob("*")) == files  # no temporary file left behind
    assert {f: f.read_bytes() for f in files if f.is_file()} == contents


def test_fine_tuning_without_frozen_base_warns():
    preset = with_recipe(callbacks=(), fine_tune=FineTune(1e-5, epochs=1))
    with pytest.warns(UserWarning, match="no frozen base to unfreeze; phase 2 is skipped"):
        train(tiny_cnn(), synthetic(20, size=32), preset=preset, epochs=1, verbose=0)


def test_k_fold_cross_validation(tmp_path):
    data = synthetic(30, size=32, seed=0, prevalence=0.4)
    cv = cross_validate("szanet", data, folds=2, input_shape=(32, 32, 1), epochs=1,
                        out=tmp_path, verbose=0)  # fmt: skip
    assert [f["fold"] for f in cv.folds] == [1, 2]
    assert all(f["n_train"] + f["n_held_out"] == 30 for f in cv.folds)
    assert sum(f["n_held_out"] for f in cv.folds) == 30  # every image held out once
    mean, sd = cv.summary()["binary_accuracy"]
    values = [f["binary_accuracy"] for f in cv.folds]
    assert mean == pytest.approx(np.mean(values)) and sd == pytest.approx(np.std(values, ddof=1))
    assert "2-fold stratified cross-validation" in str(cv)
    assert json.loads((tmp_path / "cross_validation.json").read_text())["folds"][0]["fold"] == 1
    epochs = Epochs()  # finished folds are not trained again
    again = cross_validate("szanet", data, folds=2, input_shape=(32, 32, 1), epochs=1,
                           out=tmp_path, callbacks=[epochs], verbose=0)  # fmt: skip
    assert epochs.seen == [] and again.folds == cv.folds
    # 002's recipe says 5 folds
    with pytest.raises(ValueError, match="folds=5 needs at least 5 images of every class"):
        cross_validate("szanet", synthetic(8, size=32), input_shape=(32, 32, 1), epochs=1)


def test_step_schedule_focal_loss_sampling_and_class_weights():
    # 004: Adam with the learning rate halved every N epochs, focal loss, weighted sampling
    rng = np.random.default_rng(0)
    labels = np.r_[np.zeros(24, int), np.ones(12, int), np.full(6, 2)]
    three = ImageSet(("a", "b", "c"), labels, images=rng.integers(0, 255, (42, 32, 32), np.uint8))
    preset = with_recipe(
        learning_rate=1e-3,
        schedule=Schedule("step", step_epochs=1, factor=0.5),
        loss=Loss("focal", gamma=2.0),
        sampling="inverse_frequency",
        class_weight=ClassWeight("balanced"),
        augmentations=(Augmentation("rotation", 10.0, probability=0.3),),
        callbacks=(),
        metrics=("accuracy",),
    )
    result = train(tiny_cnn(units=3), three, preset=preset, epochs=3, verbose=0)
    assert [r["learning_rate"] for r in result.history] == pytest.approx([1e-3, 5e-4, 2.5e-4])
    assert isinstance(result.model.loss, keras.losses.CategoricalFocalCrossentropy)
    # the training part of the stratified 80/20 split: 24 - 5, 12 - 2 and 6 - 1 images
    assert result.counts == {"a": 19, "b": 10, "c": 5}
    assert result.class_weight == pytest.approx({0: 34 / 57, 1: 34 / 30, 2: 34 / 15})


def test_adamw_weight_decay_and_cosine_schedule_reach_keras():
    preset = with_recipe(
        optimizer="adamw",
        learning_rate=1e-3,
        weight_decay=1e-4,
        schedule=Schedule("cosine", decay_epochs=4, factor=0.1),
        callbacks=(),
        metrics=("accuracy",),
    )
    result = train(tiny_cnn(units=2), synthetic(24, size=32), preset=preset, epochs=3, verbose=0)
    optimizer = result.model.optimizer
    assert isinstance(optimizer, keras.optimizers.AdamW)
    assert optimizer.weight_decay == pytest.approx(1e-4)
    # 1e-3 * (0.1 + 0.9 * (1 + cos(pi * e / 4)) / 2) for epochs 0, 1, 2
    expected = [1e-3, 1e-3 * (0.1 + 0.9 * (1 + 2**0.5 / 2) / 2), 1e-3 * 0.55]
    assert [r["learning_rate"] for r in result.history] == pytest.approx(expected)


@pytest.mark.parametrize(("momentum", "expected"), [(None, 1.0), (0.9, 10.0)])
def test_batchnorm_momentum_reaches_nested_layers(momentum, expected):
    # one step on a batch whose every pixel is 100: moving mean = (1 - momentum) * 100,
    # from 0, for a BatchNormalization layer inside a nested model (Keras default 0.99)
    inner = keras.Sequential(
        [keras.Input((8, 8, 1)), keras.layers.BatchNormalization(name="bn")], name="inner"
    )
    model = keras.Sequential(
        [keras.Input((8, 8, 1)), inner, keras.layers.Flatten(), keras.layers.Dense(1)]
    )
    split = ImageSet(
        ("a", "b"),
        np.r_[np.zeros(8, int), np.ones(8, int)],
        images=np.full((16, 8, 8), 100, np.uint8),
    )
    preset = with_recipe(
        batchnorm_momentum=momentum, augmentations=(), callbacks=(), metrics=("accuracy",)
    )
    result = train(
        model, {"train": split, "val": split}, preset=preset, epochs=1, batch_size=16, verbose=0
    )
    bn = inner.get_layer("bn")
    assert bn.momentum == pytest.approx(0.99 if momentum is None else momentum)
    assert np.asarray(bn.moving_mean) == pytest.approx([expected], rel=1e-5)
    assert result.settings["batchnorm_momentum"] == momentum


def test_mirrored_strategy_and_mixed_precision_on_cpu():
    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    result = train(
        "szanet",
        synthetic(20, size=32),
        input_shape=(32, 32, 1),
        epochs=1,
        strategy=strategy,
        mixed_precision=True,
        jit_compile=False,
        verbose=0,
    )
    assert result.settings["strategy"] == "MirroredStrategy"
    assert result.settings["replicas"] == 1 and result.settings["mixed_precision"]
    assert result.model.layers[-1].dtype_policy.name == "float32"
    assert keras.mixed_precision.global_policy().name == "float32"  # restored


def test_bad_input():
    one_class = ImageSet(("a", "b"), np.zeros(10, int), images=np.zeros((10, 32, 32), np.uint8))
    with pytest.raises(ValueError, match=r"one class only \(\['a'\]\)"):
        train("szanet", one_class, epochs=1)
    with pytest.raises(ValueError, match="szanett"):
        train("szanett", synthetic(10, size=32), epochs=1)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        train("szanet", synthetic(10, size=32), epochs=0)
    with pytest.raises(
        TypeError, match=r"name_or_model must be a registry name, a Preset or a keras\.Model"
    ):
        train(3, synthetic(10, size=32))
    with pytest.raises(ValueError, match="data has no 'train' split"):
        train("szanet", {"a": synthetic(10, size=32), "b": synthetic(10, size=32)})
    with pytest.raises(ValueError, match="mixed_precision=True needs a registry name"):
        train(tiny_cnn(), synthetic(10, size=32), epochs=1, mixed_precision=True)
    with pytest.raises(FileNotFoundError, match=r"neither a \.keras file nor a folder"):
        load_trained("/nonexistent/run")


def test_cross_validation_of_a_keras_model_starts_every_fold_afresh():
    model = tiny_cnn()
    initial = [w.copy() for w in model.get_weights()]
    cv = cross_validate(model, synthetic(20, size=32), folds=2, epochs=1, verbose=0)
    assert len(cv.folds) == 2
    assert all(np.array_equal(a, b) for a, b in zip(initial, model.get_weights(), strict=True))


@pytest.mark.slow
def test_cross_validation_folds_side_by_side_score_as_one_after_the_other(tmp_path):
    data = synthetic(24, size=32, seed=5)
    args = {"folds": 2, "epochs": 1, "batch_size": 8, "verbose": 0, "threads": 1}
    side_by_side = cross_validate(tiny_cnn(), data, jobs=2, out=tmp_path, **args)
    one_by_one = cross_validate(tiny_cnn(), data, jobs=1, **args)
    assert side_by_side.folds == one_by_one.folds  # same folds, seeds and threads
    assert [f["fold"] for f in side_by_side.folds] == [1, 2]
    assert (tmp_path / "fold2" / "fold.json").is_file()
    assert (tmp_path / "cross_validation.json").is_file()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"jobs": 0}, "jobs must be a positive integer, got 0"),
        ({"jobs": 2.0}, "jobs must be a positive integer, got 2.0"),
        ({"threads": -1}, "threads must be a positive integer, got -1"),
        ({"jobs": 2, "strategy": object()}, "strategy cannot be handed to a worker process"),
    ],
)
def test_cross_validation_bad_jobs(kwargs, message):
    with pytest.raises(ValueError, match=message):
        cross_validate(tiny_cnn(), synthetic(12, size=32), folds=2, epochs=1, **kwargs)


def test_one_list_of_options_for_train_cross_validate_and_seeds():
    import cxrzoo
    from cxrzoo.training import TrainOptions

    data = synthetic(12, size=32)
    for function in (cxrzoo.train, cxrzoo.cross_validate, cxrzoo.train_seeds):
        name = function.__name__
        with pytest.raises(TypeError, match=rf"{name}\(\) got an unexpected keyword argument"):
            function("szanet", data, epoch=1)
    with pytest.raises(TypeError, match="unexpected keyword argument 'validation_split'"):
        cxrzoo.cross_validate("szanet", data, validation_split=0.2)
    with pytest.raises(ValueError, match="epochs must be a positive integer, got 0"):
        TrainOptions(epochs=0)
    with pytest.raises(ValueError, match="fine_tune_epochs must be an integer >= 0"):
        TrainOptions(fine_tune_epochs=-1)
    assert TrainOptions().weights == "preset"


def test_weights_none_trains_from_random_weights_and_preset_from_the_presets_source():
    from cxrzoo.training.options import RunSpec, TrainOptions
    from cxrzoo.training.record import run_record

    images = synthetic(12, size=32)
    spec = RunSpec.make("resnet50.bolhassani_ce", TrainOptions())
    record = run_record(spec, TrainOptions(), images, None, 0)
    assert record["weights"] == "imagenet"  # "preset": the preset's own source
    assert run_record(spec, TrainOptions(weights=None), images, None, 0)["weights"] is None
    keras_spec = RunSpec.make(tiny_cnn(), TrainOptions())
    assert run_record(keras_spec, TrainOptions(), images, None, 0)["weights"] is None


def test_train_json_records_the_unreadable_files_left_out(tmp_path):
    images = synthetic(12, size=16, seed=0).images
    root = tmp_path / "data"
    for i, (image, label) in enumerate(zip(images, [0, 1] * 6, strict=True)):
        folder = root / ("NORMAL", "PNEUMONIA")[label]
        folder.mkdir(parents=True, exist_ok=True)
        keras.utils.save_img(folder / f"{i}.png", image[..., None] if image.ndim == 2 else image)
    bad = [root / "NORMAL" / "bad.png", root / "PNEUMONIA" / "bad.jpg"]
    for file in bad:
        file.write_bytes(b"not an image")
    with pytest.warns(UserWarning, match="2 unreadable image file"):
        result = train(tiny_cnn(16), root, epochs=1, out=tmp_path / "run", verbose=0)
    assert sorted(result.skipped) == sorted(str(f) for f in bad)
    info = json.loads((tmp_path / "run" / "train.json").read_text())
    assert sorted(info["skipped"]) == sorted(str(f) for f in bad)


def test_every_output_file_gets_the_mode_of_an_ordinary_file(tmp_path):
    import os

    old = os.umask(0o027)
    try:
        preset = with_recipe(callbacks=(), fine_tune=FineTune(1e-3, epochs=1))
        train(frozen_base_model(16), synthetic(20, size=16), preset=preset, epochs=1,
              out=tmp_path, verbose=0)  # fmt: skip
    finally:
        os.umask(old)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert {"phase1.weights.h5", "phase2.weights.h5", "run.json", "history.csv"} <= {
        p.name for p in files
    }
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in files} == {
        p.name: oct(0o640) for p in files
    }


def test_a_symlinked_backup_folder_is_refused_before_training(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "phase1").mkdir(parents=True)
    (elsewhere / "phase1" / "keep.txt").write_text("precious")
    out = tmp_path / "run"
    out.mkdir()
    (out / "backup").symlink_to(elsewhere)
    epochs = Epochs()
    with pytest.raises(ValueError, match=r"backup' is a symbolic link"):
        train(tiny_cnn(16), synthetic(20, size=16), epochs=1, out=out, callbacks=[epochs],
              verbose=0)  # fmt: skip
    assert epochs.seen == [] and (elsewhere / "phase1" / "keep.txt").read_text() == "precious"
    (out / "backup").unlink()
    (out / "backup").mkdir()
    (out / "backup" / "phase1").symlink_to(elsewhere / "phase1")
    with pytest.raises(ValueError, match=r"phase1' is a symbolic link"):
        train(tiny_cnn(16), synthetic(20, size=16), epochs=1, out=out, verbose=0)
    assert (elsewhere / "phase1" / "keep.txt").is_file()


def test_load_trained_names_a_bad_file_in_one_short_message(tmp_path):
    garbage = tmp_path / "model.keras"
    garbage.write_text("garbage")
    with pytest.raises(ValueError, match=r"model\.keras' is not a Keras \.keras model file"):
        load_trained(garbage)
    out = tmp_path / "run"
    train("berreby_cnn", synthetic(20, size=16), input_shape=(16, 16, 1), epochs=1, out=out,
          verbose=0)  # fmt: skip
    info = json.loads((out / "train.json").read_text())
    info["settings"]["num_classes"] = 3
    (out / "train.json").write_text(json.dumps(info))
    with pytest.raises(ValueError) as wrong:
        load_trained(out)
    message = str(wrong.value)
    assert len(message) < 400 and "num_classes 3" in message
    assert "a weight of shape (128, 1) in the file is (128, 3) in the model" in message
    for text, problem in [
        ("{}", "lacks name, class_names, settings"),
        ('{"name": "szanet", "class_names": [], "settings": {}}', "lacks settings.input_shape"),
        ("[1]", "must hold a JSON object, got list"),
        ("{", "is not valid JSON"),
    ]:
        (out / "train.json").write_text(text)
        with pytest.raises(ValueError, match=re.escape(problem)):
            load_trained(out)
