"""cxrzoo.pruning on tiny Keras models: exact counts worked out by hand, masks held, strip."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

keras = pytest.importorskip("keras")

from _models import prunable_cnn  # noqa: E402

from cxrzoo.pruning import (  # noqa: E402
    PolynomialDecay,
    PruningMasks,
    UpdatePruning,
    get_masks,
    measure_gain,
    prunable_weights,
    prune,
    sparsity_report,
    strip,
    sweep,
)

# Kernel sizes of tiny_cnn, by hand: conv_a 3*3*1*4, conv_b 3*3*4*6, hidden (4*4*6)*5, out 5*1.
KERNELS = {"conv_a/kernel": 36, "conv_b/kernel": 216, "hidden/kernel": 480, "out/kernel": 5}
N_KERNEL = 737
# Every weight: kernels + biases (4 + 6 + 5 + 1) + batch norm (4 x 4).
N_ALL = 737 + 16 + 16


def toy_data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8, 8, 1)).astype("float32")
    y = (x[:, 2:6, 2:6, 0].mean(axis=(1, 2)) > 0).astype("float32")
    return x, y


def zeros_of(model):
    return {k: int((v.numpy() == 0).sum()) for k, v in prunable_weights(model).items()}


def weights_by_key(model):
    return {k: v.numpy().copy() for k, v in prunable_weights(model).items()}


def test_prunable_kernels_and_sizes():
    model = prunable_cnn()
    assert {k: v.numpy().size for k, v in prunable_weights(model).items()} == KERNELS
    assert list(prunable_weights(model, keep_first=True, keep_last=True)) == [
        "conv_b/kernel",
        "hidden/kernel",
    ]
    assert list(prunable_weights(model, exclude=["hidden"])) == [
        "conv_a/kernel",
        "conv_b/kernel",
        "out/kernel",
    ]


# Expected counts by hand: round-half-up of sparsity * n, over all kernels (global) or
# over each kernel (layer).
@pytest.mark.parametrize(
    ("sparsity", "scope", "expected"),
    [
        (0.3, "global", 221),  # 0.3 * 737 = 221.1
        (0.5, "global", 369),  # 368.5 rounds up
        (0.9, "global", 663),  # 663.3
        (0.0, "global", 0),
        # per kernel: 36, 216, 480, 5 weights (10.8, 64.8, 144, 1.5 at 0.3; 4.5 at 0.9)
        (0.3, "layer", dict(zip(KERNELS, [11, 65, 144, 2], strict=True))),
        (0.5, "layer", dict(zip(KERNELS, [18, 108, 240, 3], strict=True))),
        (0.9, "layer", dict(zip(KERNELS, [32, 194, 432, 5], strict=True))),
    ],
)
@pytest.mark.parametrize("method", ["magnitude", "random"])
def test_exact_sparsity_per_scope_and_method(sparsity, scope, expected, method):
    pruned, masks = prune(prunable_cnn(), sparsity, method=method, scope=scope, random_state=1)
    zeros = zeros_of(pruned)
    pruned_by_mask = {k: int(m.size - m.sum()) for k, m in masks.masks.items()}
    if scope == "global":
        assert sum(zeros.values()) == expected == masks.n_pruned
        assert masks.sparsity == pytest.approx(expected / N_KERNEL)
    else:
        assert zeros == expected == pruned_by_mask
    # the mask says exactly where the zeros are
    for key, w in weights_by_key(pruned).items():
        assert np.all(w[~masks.masks[key]] == 0)
        assert np.all(w[masks.masks[key]] != 0)


@settings(max_examples=15)
@given(
    sparsity=st.floats(0.0, 0.999, allow_nan=False),
    scope=st.sampled_from(["global", "layer"]),
    method=st.sampled_from(["magnitude", "random"]),
)
def test_exact_count_property(sparsity, scope, method):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((7,)), keras.layers.Dense(11), keras.layers.Dense(3)])
    _, masks = prune(model, sparsity, method=method, scope=scope, random_state=0)
    # the count is the nearest integer to sparsity * n (n = 77 + 33 or per kernel)
    if scope == "global":
        assert abs(masks.n_pruned - sparsity * 110) <= 0.5
    else:
        counts = [int(m.size - m.sum()) for m in masks.masks.values()]
        assert all(abs(c - sparsity * n) <= 0.5 for c, n in zip(counts, [77, 33], strict=True))


@settings(max_examples=10)
@given(
    levels=st.lists(st.floats(0.0, 0.99, allow_nan=False), min_size=2, max_size=2),
    scope=st.sampled_from(["global", "layer"]),
    method=st.sampled_from(["magnitude", "random"]),
)
def test_masks_are_nested_across_sparsities(levels, scope, method):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(9), keras.layers.Dense(2)])
    low, high = sorted(levels)
    kept_low = prune(model, low, method=method, scope=scope, random_state=3)[1].masks
    kept_high = prune(model, high, method=method, scope=scope, random_state=3)[1].masks
    for key in kept_low:
        assert np.all(kept_high[key] <= kept_low[key])  # pruned at low -> pruned at high


def test_biases_batchnorm_and_kept_layers_untouched():
    model = prunable_cnn()
    pruned, _ = prune(model, 0.8, keep_first=True, keep_last=True)
    for layer, copy in zip(model.layers, pruned.layers, strict=True):
        if layer.name in ("conv_a", "out", "bn"):
            for a, b in zip(layer.get_weights(), copy.get_weights(), strict=True):
                np.testing.assert_array_equal(a, b)
        elif layer.name in ("conv_b", "hidden"):
            np.testing.assert_array_equal(layer.get_weights()[1], copy.get_weights()[1])  # bias
    assert sum(zeros_of(pruned).values()) == round(0.8 * (216 + 480))


def test_original_model_unchanged_by_pruning_and_finetuning():
    model = prunable_cnn()
    before = [w.copy() for w in model.get_weights()]
    pruned, _ = prune(model, 0.6, method="random", random_state=0)
    pruned.compile(keras.optimizers.Adam(0.05), "binary_crossentropy")
    pruned.fit(*toy_data(), epochs=2, batch_size=16, verbose=0)
    for a, b in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert all(v.constraint is None for v in prunable_weights(model).values())
    assert pruned is not model


@pytest.mark.parametrize("scope", ["global", "layer"])
def test_magnitude_prunes_the_smallest_weights(scope):
    model = prunable_cnn()
    original = weights_by_key(model)
    _, masks = prune(model, 0.4, scope=scope)
    groups = [list(original)] if scope == "global" else [[k] for k in original]
    for keys in groups:
        removed = np.concatenate([np.abs(original[k][~masks.masks[k]]) for k in keys])
        kept = np.concatenate([np.abs(original[k][masks.masks[k]]) for k in keys])
        assert removed.max() <= kept.min()


def test_same_seed_same_masks_and_nested_levels():
    model = prunable_cnn()
    a = prune(model, 0.5, method="random", random_state=7)[1]
    b = prune(model, 0.5, method="random", random_state=7)[1]
    c = prune(model, 0.5, method="random", random_state=8)[1]
    more = prune(model, 0.7, method="random", random_state=7)[1]
    for key in a.masks:
        np.testing.assert_array_equal(a.masks[key], b.masks[key])
        assert np.all(more.masks[key] <= a.masks[key])  # pruned at 50 % -> pruned at 70 %
    assert any(not np.array_equal(a.masks[k], c.masks[k]) for k in a.masks)
    assert a.seed == 7 and c.seed == 8
    # a Generator gives a recorded seed that reproduces the masks
    g = prune(model, 0.5, method="random", random_state=np.random.default_rng(3))[1]
    again = prune(model, 0.5, method="random", random_state=g.seed)[1]
    for key in g.masks:
        np.testing.assert_array_equal(g.masks[key], again.masks[key])
    # magnitude pruning needs no seed and records none
    assert prune(model, 0.5)[1].seed is None


@pytest.mark.parametrize("steps_per_execution", [1, 3])
def test_masks_stay_exactly_zero_through_finetuning(steps_per_execution):
    pruned, masks = prune(prunable_cnn(), 0.7, method="random", scope="layer", random_state=0)
    start = weights_by_key(pruned)
    pruned.compile(
        keras.optimizers.Adam(0.05), "binary_crossentropy", steps_per_execution=steps_per_execution
    )
    pruned.fit(*toy_data(), epochs=3, batch_size=8, verbose=0)
    after = weights_by_key(pruned)
    for key, keep in masks.masks.items():
        assert np.all(after[key][~keep] == 0), key
        assert not np.array_equal(after[key][keep], start[key][keep]), "training changed nothing"
    assert sum(zeros_of(pruned).values()) == masks.n_pruned


def test_layers_own_constraint_still_applies():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(4, kernel_constraint=keras.constraints.NonNeg(), name="d"),
            keras.layers.Dense(1),
        ]
    )
    pruned, masks = prune(model, 0.5, scope="layer")
    pruned.compile(keras.optimizers.SGD(0.5), "mse")
    pruned.fit(np.ones((16, 6)), -np.ones((16, 1)), epochs=2, verbose=0)
    kernel = prunable_weights(pruned)["d/kernel"].numpy()
    assert np.all(kernel >= 0)
    assert np.all(kernel[~masks.masks["d/kernel"]] == 0)


def test_polynomial_decay_values_by_hand():
    s = PolynomialDecay(0.2, 0.8, begin_step=10, end_step=30, power=2, frequency=5)
    # s(t) = 0.8 + (0.2 - 0.8) * (1 - (t - 10) / 20) ** 2
    assert s.sparsity(0) == pytest.approx(0.2)
    assert s.sparsity(15) == pytest.approx(0.8 - 0.6 * 0.75**2)  # 0.4625
    assert s.sparsity(20) == pytest.approx(0.65)
    assert s.sparsity(30) == pytest.approx(0.8)
    assert s.sparsity(99) == pytest.approx(0.8)
    assert [s.next_due(t) for t in (0, 9, 10, 12, 29, 30, 31)] == [10, 10, 15, 15, 30, None, None]
    odd = PolynomialDecay(0.0, 0.5, begin_step=0, end_step=7, frequency=3)
    assert [odd.next_due(t) for t in (0, 3, 5, 6, 7)] == [3, 6, 6, 7, None]


def test_gradual_pruning_with_steps_per_execution():
    # 8 steps per epoch run 3, 3, 2 at a time: callbacks see steps 0, 3, 6, 8, 11, 14, so
    # the updates due at 4, 8 and 12 happen at 6, 8 and 14 (the last at the final sparsity)
    schedule = PolynomialDecay(0.0, 0.5, begin_step=0, end_step=12, frequency=4)
    pruned, _ = prune(prunable_cnn(), schedule)
    pruned.compile(keras.optimizers.Adam(0.01), "binary_crossentropy", steps_per_execution=3)
    callback = UpdatePruning()
    pruned.fit(*toy_data(64), epochs=2, batch_size=8, verbose=0, callbacks=[callback])
    assert [step for step, _ in callback.history] == [0, 6, 8, 14]
    assert get_masks(pruned).n_pruned == 369 == sum(zeros_of(pruned).values())  # 368.5 up


@pytest.mark.parametrize("method", ["magnitude", "random"])
def test_gradual_pruning_reaches_the_final_sparsity(method):
    x, y = toy_data(64)
    schedule = PolynomialDecay(0.0, 0.6, begin_step=0, end_step=12, frequency=4)
    pruned, first = prune(prunable_cnn(), schedule, method=method, random_state=0)
    assert first.n_pruned == 0
    pruned.compile(keras.optimizers.Adam(0.01), "binary_crossentropy")
    callback = UpdatePruning()
    pruned.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[callback])  # 16 steps
    # step 0 is the initial pruning by prune(); then every 4 steps up to end_step
    assert [step for step, _ in callback.history] == [0, 4, 8, 12]
    # 0.6 + (0 - 0.6) * (1 - t / 12) ** 3 at t = 0, 4, 8, 12
    targets = [s for _, s in callback.history]
    assert targets == pytest.approx([0.0, 0.6 - 0.6 * (2 / 3) ** 3, 0.6 - 0.6 / 27, 0.6])
    masks = get_masks(pruned)
    assert masks.n_pruned == round(0.6 * N_KERNEL) == sum(zeros_of(pruned).values())
    # training on after the end keeps the pruned weights at zero
    for key, w in weights_by_key(pruned).items():
        assert np.all(w[~masks.masks[key]] == 0)


def test_strip_gives_a_plain_model_that_saves_and_loads(tmp_path):
    x, y = toy_data(16)
    pruned, masks = prune(prunable_cnn(), 0.5, method="random", random_state=0)
    plain = strip(pruned)
    assert all(v.constraint is None for v in prunable_weights(plain).values())
    assert not hasattr(plain, "_cxrzoo_pruning")
    np.testing.assert_allclose(plain.predict(x, verbose=0), pruned.predict(x, verbose=0))
    path = tmp_path / "plain.keras"
    plain.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded) is keras.Sequential
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), plain.predict(x, verbose=0))
    assert sum(zeros_of(loaded).values()) == masks.n_pruned
    plain.save_weights(tmp_path / "plain.weights.h5")
    fresh = prunable_cnn(seed=5)
    fresh.load_weights(tmp_path / "plain.weights.h5")
    assert sum(zeros_of(fresh).values()) == masks.n_pruned
    # training the stripped model no longer holds the zeros
    plain.compile(keras.optimizers.Adam(0.05), "binary_crossentropy")
    plain.fit(x, y, epochs=1, verbose=0)
    assert sum(zeros_of(plain).values()) < masks.n_pruned


def test_nested_functional_model():
    keras.utils.set_random_seed(0)
    inner = keras.Sequential(
        [keras.Input((5,)), keras.layers.Dense(4, name="inner_dense")], name="backbone"
    )
    inputs = keras.Input((5,))
    outputs = keras.layers.Dense(1, name="head")(inner(inputs))
    model = keras.Model(inputs, outputs)
    pruned, masks = prune(model, 0.5, scope="layer")
    assert list(masks.masks) == ["inner_dense/kernel", "head/kernel"]
    assert zeros_of(pruned) == {"inner_dense/kernel": 10, "head/kernel": 2}


def test_masks_report():
    _, masks = prune(prunable_cnn(), 0.5, scope="layer")
    assert isinstance(masks, PruningMasks)
    d = masks.to_dict()
    assert d["n_pruned"] == 18 + 108 + 240 + 3 and d["n_weights"] == N_KERNEL
    assert d["layers"]["hidden/kernel"] == {"weights": 480, "pruned": 240}
    assert masks.layer_sparsity()["out/kernel"] == pytest.approx(0.6)
    text = str(masks)
    assert "magnitude pruning, layer scope" in text and "hidden/kernel" in text


def test_sparsity_report_counts_zeros():
    pruned, _ = prune(prunable_cnn(), 0.3)
    report = sparsity_report(pruned)
    assert report.kernel_weights == N_KERNEL and report.kernel_zeros == 221
    assert report.all_weights == N_ALL
    # batch-norm beta and moving mean start at 0 (4 + 4), biases start at 0 (16)
    assert report.all_zeros == 221 + 8 + 16
    assert report.sparsity == pytest.approx(221 / N_KERNEL)
    assert dict((k, z) for k, _, z in report.layers) == zeros_of(pruned)
    assert "prunable kernels" in report.table()
    assert report.to_dict()["kernel_zeros"] == 221


def test_measure_gain_is_honest_about_time():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((128,)), keras.layers.Dense(128)])
    model.compile(keras.optimizers.Adam(0.01), "mse")  # Adam's state must not be counted
    model.fit(np.ones((8, 128)), np.ones((8, 128)), verbose=0)
    pruned, _ = prune(model, 0.9)
    assert not pruned.compiled
    gain = measure_gain(model, pruned, np.ones((4, 128), "float32"), repeats=3)
    assert gain.pruned_gzip_bytes < 0.5 * gain.dense_gzip_bytes
    assert gain.dense_bytes == gain.pruned_bytes  # zeros are stored like any float
    assert gain.pruned_sparsity == pytest.approx(0.9, abs=1e-4)
    assert gain.dense_seconds > 0 and gain.pruned_seconds > 0
    assert "Zeros do not speed up dense kernels" in str(gain)
    assert gain.to_dict()["compression_ratio"] == pytest.approx(gain.compression_ratio)


@pytest.mark.parametrize(
    ("sparsity", "error", "match"),
    [
        (1.0, ValueError, r"sparsity must be in \[0, 1\)"),
        (-0.1, ValueError, r"sparsity must be in \[0, 1\)"),
        ("0.5", TypeError, "sparsity must be a number"),
        (True, TypeError, "sparsity must be a number"),
        (None, TypeError, "sparsity must be a number"),
    ],
)
def test_bad_sparsity(sparsity, error, match):
    with pytest.raises(error, match=match):
        prune(prunable_cnn(), sparsity)


def test_bad_arguments():
    model = prunable_cnn()
    with pytest.raises(ValueError, match="method must be one of"):
        prune(model, 0.5, method="l1")
    with pytest.raises(ValueError, match="scope must be one of"):
        prune(model, 0.5, scope="channel")
    with pytest.raises(TypeError, match=r"model must be a keras\.Model"):
        prune("model.keras", 0.5)
    with pytest.raises(TypeError, match="random_state"):
        prune(model, 0.5, method="random", random_state="seed")
    with pytest.raises(
        ValueError, match=r"exclude names layers the model does not have: \['nope'\]"
    ):
        prune(model, 0.5, exclude=["nope"])
    with pytest.raises(ValueError, match="is not a pruned model"):
        get_masks(model)
    unbuilt = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="is not built"):
        prune(unbuilt, 0.5)


def test_nothing_to_prune():
    model = keras.Sequential(
        [keras.Input((4, 4, 1)), keras.layers.BatchNormalization(), keras.layers.Flatten()],
        name="no_kernels",
    )
    with pytest.raises(ValueError, match="'no_kernels' has nothing to prune"):
        prune(model, 0.5)
    one = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)], name="one")
    with pytest.raises(ValueError, match="'one' has nothing to prune"):
        prune(one, 0.5, keep_last=True)


def test_model_that_cannot_be_copied():
    class Subclassed(keras.Model):
        def __init__(self):
            super().__init__(name="sub")
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    model = Subclassed()
    model(np.ones((1, 3)))
    with pytest.raises(ValueError, match="'sub' could not be rebuilt from its config"):
        prune(model, 0.5)


def test_bad_schedules_and_callback_misuse():
    with pytest.raises(ValueError, match="final_sparsity"):
        PolynomialDecay(0.5, 0.2, begin_step=0, end_step=10)
    with pytest.raises(ValueError, match=r"final_sparsity must be in \[0, 1\)"):
        PolynomialDecay(0.0, 1.0, begin_step=0, end_step=10)
    with pytest.raises(ValueError, match="begin_step < end_step"):
        PolynomialDecay(0.0, 0.5, begin_step=10, end_step=10)
    with pytest.raises(TypeError, match="end_step must be an int"):
        PolynomialDecay(0.0, 0.5, begin_step=0, end_step=10.0)
    with pytest.raises(ValueError, match="frequency must be at least 1"):
        PolynomialDecay(0.0, 0.5, begin_step=0, end_step=10, frequency=0)
    pruned, _ = prune(prunable_cnn(), 0.5)
    pruned.compile("adam", "binary_crossentropy")
    with pytest.raises(
        ValueError, match="UpdatePruning needs a model pruned with a PolynomialDecay"
    ):
        pruned.fit(*toy_data(8), epochs=1, verbose=0, callbacks=[UpdatePruning()])


def test_check_fraction():
    from cxreval._checks import check_fraction

    assert check_fraction(0, "s") == 0.0
    assert check_fraction(0.999, "s") == 0.999
    with pytest.raises(ValueError, match=r"s must be in \[0, 1\)"):
        check_fraction(1, "s")
    with pytest.raises(TypeError, match="s must be a number"):
        check_fraction(False, "s")


# --- sweep ---------------------------------------------------------------------------------


def trained_dense(seed=0):
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(240, 6)).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(int)
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(8, activation="relu", name="hidden"),
            keras.layers.Dense(1, activation="sigmoid", name="out"),
        ]
    )
    model.compile(keras.optimizers.Adam(0.03), "binary_crossentropy")
    model.fit(x, y, epochs=20, batch_size=32, verbose=0)
    return model, (x[:160], y[:160]), (x[160:], y[160:])


def test_sweep_end_to_end(capsys):
    from sklearn.metrics import roc_auc_score

    model, val, test = trained_dense()
    before = [w.copy() for w in model.get_weights()]
    levels = (0.0, 0.3, 0.6, 0.9)
    result = sweep(model, val, levels, method="random", random_state=0, test_data=test)
    assert "random pruning" in capsys.readouterr().err  # the progress bar
    # 56 kernel weights (6*8 + 8*1): 16.8 -> 17, 33.6 -> 34, 50.4 -> 50 pruned
    np.testing.assert_allclose(result.sparsity, [0, 17 / 56, 34 / 56, 50 / 56])
    assert result.y_score.shape == (4, 160) and result.test_y_score.shape == (4, 80)
    x, y = val
    for i, level in enumerate(levels):
        pruned, _ = prune(model, level, method="random", random_state=0)
        expected = pruned.predict(x, verbose=0)[:, 0]
        np.testing.assert_allclose(result.y_score[i], expected, rtol=1e-6)
        assert result.accuracy[i] == pytest.approx(np.mean((expected >= 0.5) == y))
        assert result.auc[i] == pytest.approx(roc_auc_score(y, expected))
    # 002's mean rule, worked out from the accuracies
    mean_scores = (result.sparsity + result.accuracy) / 2
    np.testing.assert_allclose(result.score.scores, mean_scores)
    eligible = ~np.asarray(result.score.degenerate)
    best = result.sparsity[eligible][np.argmax(mean_scores[eligible])]
    assert result.best_sparsity == pytest.approx(best)
    assert result.rescore("tolerance", delta=0.999).best_sparsity == pytest.approx(
        result.sparsity[eligible].max()
    )
    for a, b in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    again = sweep(model, val, levels, method="random", random_state=0, progress=False)
    np.testing.assert_array_equal(again.y_score, result.y_score)
    assert result.seed == 0 and result.to_dict()["method"] == "random"
    assert "target" in result.table() and "chosen sparsity" in str(result)
    assert result.plot() is not None


def test_sweep_flags_a_degenerate_level():
    # One informative weight, the smallest: pruning it leaves a constant output.
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.layers[0].set_weights([np.array([[0.05], [0.3], [0.3], [0.3]]), np.array([-0.9])])
    rng = np.random.default_rng(0)
    x = np.column_stack([100 * rng.normal(size=200), np.ones((200, 3))]).astype("float32")
    y = (x[:, 0] > 0).astype(int)
    p = y.mean()
    result = sweep(model, (x, y), (0.0, 0.25, 0.5, 0.75), progress=False)
    # 0.25: sigmoid(0) = 0.5 -> all positive; 0.5 and 0.75: below 0.5 -> all negative
    np.testing.assert_allclose(result.accuracy, [1.0, p, 1 - p, 1 - p])
    assert np.asarray(result.score.degenerate).tolist() == [False, True, True, True]
    # 002's mean score ranks 0.75 (all 'normal') above the working model: 0.625 > 0.5 ...
    assert result.score.scores[3] > result.score.scores[0]
    # ... but a degenerate level is never chosen
    assert result.best_sparsity == 0.0


def test_sweep_finetune_keeps_the_sparsity():
    model, val, test = trained_dense()
    result = sweep(
        model,
        val,
        (0.5, 0.9),
        finetune_epochs=1,
        train_data=test,
        learning_rate=0.05,
        progress=False,
    )
    np.testing.assert_allclose(result.sparsity, [28 / 56, 50 / 56])
    plain = sweep(model, val, (0.5, 0.9), progress=False)
    assert not np.allclose(result.y_score, plain.y_score)  # fine-tuning changed the model


def test_sweep_finetune_same_seed_same_scores():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Conv2D(4, 3),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.5),  # its seed generator is part of the pruned copy
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    x, y = toy_data(32)
    kwargs = {"finetune_epochs": 1, "train_data": (x, y), "batch_size": 8, "progress": False}

    def run(random_state, method="magnitude"):
        keras.utils.set_random_seed(99)  # whatever ran before must not matter
        keras.random.uniform((3,))
        return sweep(model, (x, y), (0.0, 0.5), method=method, random_state=random_state,
                     **kwargs)  # fmt: skip

    first, again = run(3), run(3)
    assert first.seed == again.seed == 3
    np.testing.assert_array_equal(first.y_score, again.y_score)
    assert not np.array_equal(first.y_score, run(4).y_score)
    drawn = run(None)  # a seed is drawn, recorded, and reproduces the sweep
    assert isinstance(drawn.seed, int)
    np.testing.assert_array_equal(drawn.y_score, run(drawn.seed).y_score)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"levels": (0.0, 1.0)}, ValueError, r"levels\[1\] must be in \[0, 1\)"),
        ({"levels": (0.2, -0.1)}, ValueError, r"levels\[1\] must be in \[0, 1\)"),
        ({"levels": "0.5"}, TypeError, "levels must be an iterable of numbers"),
        ({"levels": (0.1, "a")}, TypeError, r"levels\[1\] must be a number"),
        ({"levels": ()}, ValueError, "levels is empty"),
        ({"levels": (0.1, 0.1)}, ValueError, "levels has repeated values"),
        ({"method": "l2"}, ValueError, "method must be one of"),
        ({"finetune_epochs": 1}, ValueError, "train_data is needed to fine-tune"),
        ({"finetune_epochs": 1.5}, TypeError, "finetune_epochs must be an int"),
        ({"finetune_epochs": -1}, ValueError, "finetune_epochs must be >= 0"),
        ({"threshold": 1.5}, ValueError, r"threshold must be in \[0, 1\)"),
        ({"test_data": np.zeros(3)}, TypeError, r"test_data must be a tuple \(x, y\)"),
    ],
)
def test_sweep_bad_arguments(kwargs, error, match):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    data = (np.zeros((4, 2)), np.array([0, 1, 0, 1]))
    with pytest.raises(error, match=match):
        sweep(model, data, **{"progress": False, **kwargs})


def test_sweep_bad_data():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    with pytest.raises(ValueError, match="arrays must have the same length"):
        sweep(model, (np.zeros((4, 2)), np.array([0, 1, 0])), progress=False)
    with pytest.raises(ValueError, match="needs two classes in y"):
        sweep(model, (np.zeros((4, 2)), np.array([0, 1, 2, 1])), progress=False)
    with pytest.raises(TypeError, match=r"data must be a tuple \(x, y\)"):
        sweep(model, np.zeros((4, 2)), progress=False)
