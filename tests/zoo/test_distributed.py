"""Training on several machines, simulated by two worker processes on this one, and the
other hardware paths (MirroredStrategy, mixed precision, XLA) run on the CPU.

Two processes with ``TF_CONFIG`` on free localhost ports run the same :func:`cxrzoo.train`
call under ``tf.distribute.MultiWorkerMirroredStrategy``:

* their result equals one worker's with the same global batch to ``ATOL`` (the
  gradients of the two halves of each batch are summed in float32 instead of computed
  over the whole: a few ulps per step);
* only the chief writes ``out`` (the other worker's ``workertemp_1`` folder is gone);
* a worker killed (SIGKILL) mid-epoch, then both restarted with the same command,
  resume from the chief's backup and finish with every epoch once.
"""

import csv
import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import time

import numpy as np
import pytest
from tests._helpers import ROOT, SRC

from cxrzoo import get_preset
from cxrzoo.data import synthetic
from cxrzoo.training import train
from cxrzoo.training.callbacks import KILL_VARIABLE

#: Tolerance of two workers' weights and losses against one worker's: absolute, 1e-5 (seen:
#: below 5e-7 after 2 epochs of 4 steps).
ATOL = 1e-5

#: 40 images, 16x16: 32 to train (4 global batches of 8, 4 images per worker), 8 to
#: validate; a convolution and a sigmoid unit, no dropout, no augmentation, no callbacks:
#: nothing random once the weights are drawn.
SETTINGS = {
    "input_shape": (16, 16, 1),
    "batch_size": 8,
    "learning_rate": 1e-2,
    "weights": None,
    "verbose": 0,
}
N_IMAGES = 40

WORKER = """
import json, sys
import tensorflow as tf

strategy = tf.distribute.MultiWorkerMirroredStrategy()  # first: it starts the server

import keras
import numpy as np
from test_distributed import N_IMAGES, SETTINGS, preset
from cxrzoo.data import synthetic
from cxrzoo.training import train

out, epochs, dump = sys.argv[1], int(sys.argv[2]), sys.argv[3]


class Log(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        with open(dump + ".epochs", "a") as f:
            f.write(f"{epoch}\\n")


result = train(preset(), synthetic(N_IMAGES, size=16, seed=3), out=out or None, epochs=epochs,
               strategy=strategy, callbacks=[Log()], **SETTINGS)
np.savez(dump, *result.model.get_weights())
with open(dump + ".json", "w") as f:
    json.dump({"out": None if result.out is None else str(result.out),
               "replicas": result.settings["replicas"],
               "strategy": result.settings["strategy"]}, f)
"""


def preset():
    """Rahman's "Arch 1" without dropout and without callbacks."""
    arch1 = get_preset("rahman_arch1")
    return dataclasses.replace(
        arch1,
        head=dataclasses.replace(arch1.head, dropout=0.0),
        recipe=dataclasses.replace(arch1.recipe, callbacks=()),
    )


def free_ports(n):
    """``n`` free TCP ports on 127.0.0.1."""
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def start_workers(out, epochs, dumps, env=({}, {})):
    """Two worker processes of one cluster; ``dumps[i]``: where worker i saves its weights."""
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(2)]}
    processes = []
    for index in range(2):
        variables = dict(os.environ, **env[index])
        variables["PYTHONPATH"] = os.pathsep.join(
            [str(SRC), str(ROOT), str(ROOT / "tests" / "zoo"), *sys.path]
        )
        variables["TF_CONFIG"] = json.dumps(
            {"cluster": cluster, "task": {"type": "worker", "index": index}}
        )
        variables["TF_CPP_MIN_LOG_LEVEL"] = "2"
        processes.append(
            subprocess.Popen(
                [sys.executable, "-c", WORKER, str(out), str(epochs), str(dumps[index])],
                env=variables,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    return processes


def finish(processes, timeout=180):
    """Wait for every process; their return codes and the ends of their stderr."""
    deadline = time.monotonic() + timeout
    ends = []
    for p in processes:
        try:
            _, err = p.communicate(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
        ends.append((p.returncode, (err or "")[-60000:]))
    return ends


def weights(dump):
    with np.load(f"{dump}.npz") as f:
        return [f[f"arr_{i}"] for i in range(len(f.files))]


def one_worker(epochs):
    """The same run on one worker (this process, the default strategy)."""
    return train(preset(), synthetic(N_IMAGES, size=16, seed=3), epochs=epochs, **SETTINGS)


def history(out):
    with open(out / "history.csv") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_two_workers_train_as_one_and_only_the_chief_writes(tmp_path):
    out, dumps = tmp_path / "run", [tmp_path / "w0", tmp_path / "w1"]
    ends = finish(start_workers(out, 2, dumps))
    assert [code for code, _ in ends] == [0, 0], ends
    alone = one_worker(2)
    for dump in dumps:
        for got, want in zip(weights(dump), alone.model.get_weights(), strict=True):
            np.testing.assert_allclose(got, want, rtol=0, atol=ATOL)
    infos = [json.loads(dump.with_suffix(".json").read_text()) for dump in dumps]
    assert [i["replicas"] for i in infos] == [2, 2]
    assert {i["strategy"] for i in infos} == {"CollectiveAllReduceStrategy"}  # its class
    assert infos[0]["out"] == str(out) and infos[1]["out"] is None  # not the chief
    names = {p.name for p in out.iterdir()}
    assert not [n for n in names if n.startswith(("workertemp", "."))]  # removed
    assert {"run.json", "history.csv", "model.weights.h5", "train.json"} <= names
    rows = history(out)
    assert [r["epoch"] for r in rows] == ["0", "1"]
    for row, want in zip(rows, alone.history, strict=True):
        assert float(row["loss"]) == pytest.approx(want["loss"], abs=ATOL)
        assert float(row["val_loss"]) == pytest.approx(want["val_loss"], abs=ATOL)


@pytest.mark.slow
def test_a_killed_worker_resumes_from_the_chiefs_backup(tmp_path):
    out, dumps = tmp_path / "run", [tmp_path / "w0", tmp_path / "w1"]
    # worker 1 kills itself after the 2nd batch of epoch 1 (4 batches an epoch); the
    # chief, waiting for it in the next step, is killed too
    first = start_workers(out, 3, dumps, env=({}, {KILL_VARIABLE: "batch:6"}))
    assert first[1].wait(timeout=180) == -signal.SIGKILL
    first[0].send_signal(signal.SIGKILL)
    finish(first)
    assert (out / "backup" / "phase1").is_dir() and (out / "workertemp_1").is_dir()
    ends = finish(start_workers(out, 3, dumps))  # the same command again
    assert [code for code, _ in ends] == [0, 0], ends
    for dump in dumps:  # epoch 0 was backed up: the rerun began with epoch 1
        assert dump.with_suffix(".epochs").read_text().split() == ["0", "1", "1", "2"]
    assert [r["epoch"] for r in history(out)] == ["0", "1", "2"]
    names = {p.name for p in out.iterdir()}
    assert "backup" not in names and "workertemp_1" not in names
    assert json.loads((out / "train.json").read_text())["settings"]["replicas"] == 2


def test_xla_compiled_training_on_cpu():
    result = train(preset(), synthetic(16, size=16), epochs=1, jit_compile=True, **SETTINGS)
    assert result.settings["jit_compile"] is True
    assert result.model.jit_compile is True
    assert np.isfinite(result.history[0]["loss"])
