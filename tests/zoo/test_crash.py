"""Kill -9 at the named moments of training; the rerun loses nothing and leaves no stray file.

A child process trains a two-phase model (2 + 2 epochs, one batch per epoch, 16x16 images)
and SIGKILLs itself where ``CXRZOO_TEST_KILL_AT`` says (the test hook of
:func:`cxrzoo.training.callbacks.kill_point`); the same command is then run again without
it. The rerun must end with the weights of an uninterrupted run, every epoch once in the
history, no backup and no temporary file.
"""

import csv
import dataclasses
import signal

import numpy as np
import pytest
from _models import frozen_base_model
from tests._helpers import run_snippet

from cxrzoo import FineTune, get_preset
from cxrzoo.data import synthetic
from cxrzoo.training import train
from cxrzoo.training.callbacks import KILL_VARIABLE

#: One batch holds the whole training split: the weights do not depend on the order of
#: the images, so a resumed run can be compared with an uninterrupted one.
SETTINGS = {"epochs": 2, "batch_size": 16, "learning_rate": 1e-2, "verbose": 0}

CHILD = """
import dataclasses, sys
from pathlib import Path
import keras
from _models import frozen_base_model
from cxrzoo import FineTune, get_preset
from cxrzoo.data import synthetic
from cxrzoo.training import train

out = Path(sys.argv[1])

class Log(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        with open(str(out) + ".epochs", "a") as f:
            f.write(f"{epoch}\\n")

szanet = get_preset("szanet")
recipe = dataclasses.replace(szanet.recipe, callbacks=(), augmentations=(),
                             fine_tune=FineTune(1e-3, epochs=2))
train(frozen_base_model(16), synthetic(20, size=16), out=out, callbacks=[Log()],
      preset=dataclasses.replace(szanet, recipe=recipe), **SETTINGS)
"""


def preset():
    szanet = get_preset("szanet")
    recipe = dataclasses.replace(
        szanet.recipe, callbacks=(), augmentations=(), fine_tune=FineTune(1e-3, epochs=2)
    )
    return dataclasses.replace(szanet, recipe=recipe)


@pytest.fixture(scope="module")
def uninterrupted():
    """The final weights of the run without a kill."""
    result = train(frozen_base_model(16), synthetic(20, size=16), preset=preset(), **SETTINGS)
    return result.model.get_weights()


def run_child(out, kill_at=None):
    code = f"SETTINGS = {SETTINGS!r}\n" + CHILD
    return run_snippet(code, str(out), env={KILL_VARIABLE: kill_at}, timeout=300)


#: The kills, one per run of the same command, in order, and the epochs each run begins.
KILLS = [
    # mid-epoch: after phase 1's second batch (its epoch 1), before that epoch's backup
    ("batch:2", [0, 1]),
    # between the backup's weights and its counter (phase 1, epoch 1 again): the epoch is
    # trained again from the weights it started from, not twice over
    ("backup-weights:1", [1]),
    # the end of phase 1: its weights are in place, its backup not yet removed
    ("phase-weights:1", [1]),
    # between the backup's weights and its counter in phase 2 (epoch 0)
    ("backup-weights:1", [0]),
]


def test_a_rerun_after_kills_at_every_named_moment_loses_nothing(tmp_path, uninterrupted):
    out, log = tmp_path / "run", tmp_path / "run.epochs"
    begun = []
    for kill_at, epochs in KILLS:
        killed = run_child(out, kill_at)
        assert killed.returncode == -signal.SIGKILL, (kill_at, killed.stderr[-2000:])
        now = [int(line) for line in log.read_text().split()]
        assert now[len(begun) :] == epochs, kill_at  # only the unfinished epoch again
        begun = now
    # a kill while writing leaves temporaries: the rerun removes the ones it owns
    orphans = [
        out / ".history.csv.0123abcd.tmp",
        out / ".model.weights.h5.0123abcd.tmp.weights.h5",
        out / "backup" / "phase2" / ".epoch1.weights.h5.0123abcd.tmp.weights.h5",
    ]
    for orphan in orphans:
        orphan.write_bytes(b"half a file")
    done = run_child(out)
    assert done.returncode == 0, done.stderr[-2000:]
    assert [int(line) for line in log.read_text().split()][len(begun) :] == [0, 1]
    with open(out / "history.csv") as f:
        rows = [(r["phase"], r["epoch"]) for r in csv.DictReader(f)]
    assert rows == [("1", "0"), ("1", "1"), ("2", "0"), ("2", "1")]  # each epoch once
    final = frozen_base_model(16)
    final.load_weights(out / "model.weights.h5")
    for got, want in zip(final.get_weights(), uninterrupted, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
    assert sorted(p.name for p in out.iterdir()) == [
        "checkpoint.weights.h5",
        "history.csv",
        "model.weights.h5",
        "phase1.weights.h5",
        "phase2.weights.h5",
        "run.json",
        "train.json",
        "training_curves.png",
    ]  # no backup, no temporary file
