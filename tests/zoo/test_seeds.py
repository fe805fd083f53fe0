"""train_seeds: several seeds of one recipe, in this process or side by side in workers."""

import dataclasses
import functools
import json
import pickle

import keras
import numpy as np
import pytest

import cxrzoo
from cxrzoo.data import synthetic
from cxrzoo.seeds import train_seeds
from cxrzoo.training import train

#: A picklable builder a worker process can call: Rahman's "Arch 1" at 16x16, from random
#: weights (a few layers: quick to compile and train, in this process and in a worker).
ARCH1_16 = functools.partial(cxrzoo.build, "rahman_arch1", input_shape=(16, 16, 1), weights=None)
DATA = synthetic(40, size=16, seed=3)
SHORT = {"epochs": 1, "batch_size": 8}


def same_weights(a, b) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights(), strict=True))


def test_in_process_members_equal_train_with_the_same_seed():
    results = train_seeds(ARCH1_16, DATA, seeds=(0, 3), verbose=0, **SHORT)
    assert [r.seed for r in results] == [0, 3]
    keras.utils.set_random_seed(3)
    alone = train(ARCH1_16(), DATA, seed=3, verbose=0, **SHORT)
    assert same_weights(results[1].model, alone.model)
    assert not same_weights(results[0].model, results[1].model)  # a seed is a member
    for r in results:
        assert r.settings["jobs"] == 1 and r.settings["threads"] is None
        assert r.settings["train_seconds"] > 0


@pytest.mark.slow
def test_workers_give_the_same_models_whatever_the_number_of_jobs(tmp_path):
    # One thread per worker either way: two at once must equal one after the other.
    side_by_side = train_seeds(
        ARCH1_16, DATA, seeds=(1, 0), jobs=2, threads=1, out=tmp_path, verbose=0, **SHORT
    )
    one_by_one = train_seeds(ARCH1_16, DATA, seeds=(1, 0), jobs=1, threads=1, verbose=0, **SHORT)
    assert [r.seed for r in side_by_side] == [1, 0]  # the order asked for, not finishing order
    for a, b in zip(side_by_side, one_by_one, strict=True):
        assert same_weights(a.model, b.model)
        assert a.settings["threads"] == b.settings["threads"] == 1
        assert (a.settings["jobs"], b.settings["jobs"]) == (2, 1)
        assert a.history == b.history
    # every member wrote its run where train would: its record and its weights
    for result in side_by_side:
        run = tmp_path / f"seed{result.seed}"
        assert json.loads((run / "train.json").read_text())["seed"] == result.seed
        fresh = ARCH1_16()
        fresh.load_weights(run / "model.weights.h5")
        assert same_weights(fresh, result.model)
    ensemble = cxrzoo.predict(side_by_side, DATA)
    members = [cxrzoo.predict(r.model, DATA).y_score for r in side_by_side]
    np.testing.assert_allclose(ensemble.y_score, np.mean(members, axis=0), rtol=1e-6)


def test_a_registry_name_trains_with_its_preset():
    (result,) = train_seeds("rahman_arch1", DATA, seeds=(2,), input_shape=(16, 16, 1), verbose=0,
                            **SHORT)  # fmt: skip
    default = cxrzoo.get_preset("rahman_arch1").name  # the architecture's default preset
    assert result.name == default and result.seed == 2
    assert result.settings["preset"] == default


def test_a_preset_is_built_from_its_own_fields_and_trained_with_its_recipe():
    arch1 = cxrzoo.get_preset("rahman_arch1")
    small = dataclasses.replace(
        arch1,
        name="rahman_arch1.small",  # not registered: built with rahman_arch1's builder
        input_shape=(16, 16, 1),
        recipe=dataclasses.replace(arch1.recipe, epochs=1, batch_size=8),
    )
    assert pickle.loads(pickle.dumps(small)) == small  # what a worker receives
    (result,) = train_seeds(small, DATA, seeds=(4,), verbose=0)
    assert result.name == "rahman_arch1.small"
    assert result.settings["preset"] == "rahman_arch1.small"
    assert result.settings["input_shape"] == [16, 16, 1]
    assert (result.settings["epochs"], result.settings["batch_size"]) == (1, 8)
    alone = train(small, DATA, seed=4, verbose=0)
    assert same_weights(result.model, alone.model)
    unknown = dataclasses.replace(small, name="mynet.small")
    with pytest.raises(ValueError) as error:
        train_seeds(unknown, DATA, seeds=(0,), verbose=0)
    assert str(error.value) == (
        "preset 'mynet.small': no model of architecture 'mynet' is registered to build it "
        "with; register it first with cxrzoo.register_model(preset, builder)"
    )


@pytest.mark.slow
def test_an_error_in_a_worker_is_raised_with_its_seed():
    broken = functools.partial(cxrzoo.build, "no_such_model")
    with pytest.raises(ValueError, match="no_such_model") as caught:
        train_seeds(broken, DATA, seeds=(5,), jobs=1, threads=1, verbose=0, **SHORT)
    assert "while training seed 5 in a worker process" in caught.value.__notes__


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"seeds": ()}, ValueError, "seeds is empty"),
        ({"seeds": (0, 0)}, ValueError, "distinct"),
        ({"seeds": (0, 1.5)}, ValueError, "integers"),
        ({"seeds": 3}, ValueError, "sequence of integers"),
        ({"jobs": 0}, ValueError, "jobs must be a positive integer"),
        ({"jobs": True}, ValueError, "jobs must be a positive integer"),
        ({"threads": 0}, ValueError, "threads must be a positive integer"),
        ({"seed": 1}, ValueError, "'seed' is set per member"),
        ({"jobs": 2, "strategy": object()}, ValueError, "strategy cannot be handed"),
    ],
)
def test_bad_arguments_fail_before_any_training(kwargs, error, message):
    with pytest.raises(error, match=message):
        train_seeds(ARCH1_16, DATA, **kwargs)


def test_a_built_model_is_refused_with_what_to_pass_instead():
    with pytest.raises(TypeError, match=r"functools.partial\(cxrzoo.build"):
        train_seeds(ARCH1_16(), DATA)
    with pytest.raises(TypeError, match="got int"):
        train_seeds(7, DATA)
