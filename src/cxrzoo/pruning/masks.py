"""Weight masks for Keras 3 models: choosing the weights to prune and holding them at zero.

A pruned model is a copy of the original whose prunable kernels carry a mask. The mask is
held by a constraint on each kernel variable: Keras applies a variable's constraint after
every optimizer step, so a pruned weight is exactly zero after every step of ``fit`` (or of
any loop that uses ``optimizer.apply``), whatever the optimizer or ``steps_per_execution``.
:func:`strip` returns a plain Keras model without that machinery.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from dataclasses import dataclass, field

import keras
import numpy as np
from tabulate import tabulate

from cxreval._checks import check_fraction
from cxrzoo.models._common import walk_layers
from cxrzoo.pruning._common import check_model, copy_model, keras_seed
from cxrzoo.pruning.schedule import PolynomialDecay

__all__ = [
    "METHODS",
    "PRUNABLE_LAYERS",
    "SCOPES",
    "PruningMasks",
    "UpdatePruning",
    "get_masks",
    "prunable_weights",
    "prune",
    "strip",
]

#: Ways of ranking weights: by absolute value, or in a random order drawn from a seed.
METHODS = ("magnitude", "random")
#: Where the ranking is made: over all prunable weights at once, or within each layer.
SCOPES = ("global", "layer")

#: Layers whose kernels are pruned by default (biases and batch normalization never are).
PRUNABLE_LAYERS: tuple[type, ...] = (
    keras.layers.Dense,
    keras.layers.EinsumDense,
    keras.layers.Conv1D,
    keras.layers.Conv2D,
    keras.layers.Conv3D,
    keras.layers.Conv1DTranspose,
    keras.layers.Conv2DTranspose,
    keras.layers.Conv3DTranspose,
    keras.layers.DepthwiseConv1D,
    keras.layers.DepthwiseConv2D,
    keras.layers.SeparableConv1D,
    keras.layers.SeparableConv2D,
)
_KERNEL_NAMES = ("kernel", "depthwise_kernel", "pointwise_kernel")


@dataclass(frozen=True, eq=False)
class PruningMasks:
    """The masks of a pruned model: ``True`` keeps a weight, ``False`` prunes it.

    Attributes
    ----------
    masks : dict of str to ndarray of bool
        One mask per pruned kernel, keyed ``"layer_name/variable_name"``, in model order.
    method, scope : str
        How the weights were ranked (see :func:`prune`).
    target : float
        The sparsity asked for.
    seed : int or None
        The seed of the random order (``method="random"``); None for magnitude pruning,
        which is deterministic.
    """

    masks: dict[str, np.ndarray]
    method: str
    scope: str
    target: float
    seed: int | None = None

    @property
    def n_weights(self) -> int:
        """Number of weights under a mask."""
        return int(sum(m.size for m in self.masks.values()))

    @property
    def n_pruned(self) -> int:
        """Number of weights the masks prune."""
        return int(sum(m.size - np.count_nonzero(m) for m in self.masks.values()))

    @property
    def sparsity(self) -> float:
        """Fraction of the masked weights that are pruned (over all masked kernels)."""
        return self.n_pruned / self.n_weights

    def layer_sparsity(self) -> dict[str, float]:
        """Fraction pruned in each kernel."""
        return {k: 1.0 - np.count_nonzero(m) / m.size for k, m in self.masks.items()}

    def to_dict(self) -> dict:
        """Plain-Python summary (the masks themselves are left out; see ``masks``)."""
        return {
            "method": self.method,
            "scope": self.scope,
            "target": self.target,
            "seed": self.seed,
            "sparsity": self.sparsity,
            "n_weights": self.n_weights,
            "n_pruned": self.n_pruned,
            "layers": {
                k: {"weights": int(m.size), "pruned": int(m.size - np.count_nonzero(m))}
                for k, m in self.masks.items()
            },
        }

    def table(self) -> str:
        """Per-kernel pruned counts and fractions as a text table."""
        rows = [
            [k, m.size, m.size - np.count_nonzero(m), 1.0 - np.count_nonzero(m) / m.size]
            for k, m in self.masks.items()
        ]
        rows.append(["total", self.n_weights, self.n_pruned, self.sparsity])
        return tabulate(rows, headers=["kernel", "weights", "pruned", "sparsity"], floatfmt=".4f")

    def __str__(self) -> str:
        seed = "" if self.seed is None else f", seed {self.seed}"
        head = (
            f"PruningMasks: {self.method} pruning, {self.scope} scope{seed}; "
            f"target {self.target:.4g}, reached {self.sparsity:.4f}"
        )
        return f"{head}\n{self.table()}"


def prunable_weights(
    model: keras.Model,
    *,
    keep_first: bool = False,
    keep_last: bool = False,
    exclude: Iterable[str] = (),
) -> dict[str, keras.Variable]:
    """The kernel variables :func:`prune` would prune, keyed ``"layer/variable"``.

    Kernels of the layers in :data:`PRUNABLE_LAYERS` (nested models included), in model
    order; never biases or batch-normalization parameters.

    Parameters
    ----------
    model : keras.Model
        A built model.
    keep_first, keep_last : bool, default False
        Leave the first (last) prunable layer dense, a common choice since the first
        convolution and the classifier hold few weights that matter much.
    exclude : iterable of str, default ()
        Names of further layers to leave dense.

    Returns
    -------
    dict of str to keras.Variable

    Examples
    --------
    >>> import keras
    >>> from cxrzoo.pruning import prunable_weights
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="hidden"),
    ...                           keras.layers.Dense(1, name="out")])
    >>> list(prunable_weights(model))
    ['hidden/kernel', 'out/kernel']
    >>> list(prunable_weights(model, keep_last=True))
    ['hidden/kernel']
    """
    check_model(model)
    if isinstance(exclude, str):
        exclude = (exclude,)
    exclude = set(exclude)
    layers = [layer for layer in walk_layers(model) if isinstance(layer, PRUNABLE_LAYERS)]
    unknown = exclude - {layer.name for layer in walk_layers(model)}
    if unknown:
        raise ValueError(f"exclude names layers the model does not have: {sorted(unknown)}")
    if keep_first:
        layers = layers[1:]
    if keep_last:
        layers = layers[:-1]
    found: dict[str, keras.Variable] = {}
    for layer in layers:
        if layer.name in exclude:
            continue
        for variable in layer.weights:
            if variable.name in _KERNEL_NAMES and "float" in str(variable.dtype):
                key = f"{layer.name}/{variable.name}"
                if key in found:
                    raise ValueError(
                        f"model has two layers named {layer.name!r}; layer names must be "
                        "unique for the masks to name them"
                    )
                found[key] = variable
    return found


def prune(
    model: keras.Model,
    sparsity: float | PolynomialDecay,
    *,
    method: str = "magnitude",
    scope: str = "global",
    random_state: int | np.random.Generator | None = None,
    keep_first: bool = False,
    keep_last: bool = False,
    exclude: Iterable[str] = (),
) -> tuple[keras.Model, PruningMasks]:
    """Return a pruned copy of ``model`` and its masks; the original is left untouched.

    Exactly ``sparsity * n`` weights, rounded half up, are pruned, where ``n`` counts the
    prunable weights of the whole model (``scope="global"``) or of each kernel
    (``scope="layer"``).
    Ties are broken by position, so the count is exact even when weights are equal.

    The copy holds its masks: pruned weights stay exactly zero through ``fit``. Gradual
    pruning: pass a :class:`~cxrzoo.pruning.PolynomialDecay` as ``sparsity`` and train with
    the :class:`~cxrzoo.pruning.UpdatePruning` callback. :func:`strip` returns a plain model.

    Parameters
    ----------
    model : keras.Model
        A built Keras 3 model (Sequential or functional; nested models are walked).
    sparsity : float in [0, 1) or PolynomialDecay
        Fraction of the prunable weights to set to zero. With a schedule, the copy is pruned
        to its initial sparsity now and further by :class:`~cxrzoo.pruning.UpdatePruning`.
    method : {"magnitude", "random"}, default "magnitude"
        ``"magnitude"`` prunes the weights of smallest absolute value; ``"random"`` prunes in
        a random order drawn from ``random_state`` (002's random pruning).
    scope : {"global", "layer"}, default "global"
        Rank the weights over all prunable kernels together, or within each kernel (every
        kernel then reaches the same sparsity). Global magnitude pruning compares weights
        of different layers on one scale, which favours layers with large weights.
    random_state : None, int or numpy.random.Generator
        Seed of the random order (``method="random"`` only); the seed used is recorded in
        the masks. The same seed gives the same masks, and masks of growing sparsity drawn
        from the same seed are nested.
    keep_first, keep_last : bool, default False
        Leave the first (last) prunable layer dense.
    exclude : iterable of str, default ()
        Names of layers to leave dense.

    Returns
    -------
    pruned : keras.Model
        An uncompiled copy with the pruned weights set to zero and the masks held.
    masks : PruningMasks

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model, or ``sparsity`` is not a number or a schedule.
    ValueError
        If ``sparsity`` is outside [0, 1), ``method`` or ``scope`` is unknown, or the model
        has nothing to prune.

    Examples
    --------
    >>> import keras
    >>> from cxrzoo.pruning import prune, sparsity_report
    >>> keras.utils.set_random_seed(0)
    >>> model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(10),
    ...                           keras.layers.Dense(1)])
    >>> pruned, masks = prune(model, 0.5)
    >>> masks.n_weights, masks.n_pruned
    (90, 45)
    >>> sparsity_report(pruned).kernel_zeros  # zeros counted in the copy's kernels
    45
    >>> sparsity_report(model).kernel_zeros  # the original is untouched
    0
    """
    schedule = sparsity if isinstance(sparsity, PolynomialDecay) else None
    if schedule is None:
        if not isinstance(sparsity, numbers.Real) or isinstance(sparsity, bool):
            raise TypeError(
                "sparsity must be a number in [0, 1) or a PolynomialDecay schedule, "
                f"got {type(sparsity).__name__}"
            )
        target = check_fraction(sparsity, "sparsity")
    else:
        target = schedule.initial_sparsity
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, got {scope!r}")
    seed = keras_seed(random_state) if method == "random" else None
    if prunable_weights(model, keep_first=keep_first, keep_last=keep_last, exclude=exclude) == {}:
        raise ValueError(
            f"model {model.name!r} has nothing to prune: no kernel of "
            f"{', '.join(c.__name__ for c in PRUNABLE_LAYERS)} is left to prune"
        )
    pruned = copy_model(model)
    variables = prunable_weights(
        pruned, keep_first=keep_first, keep_last=keep_last, exclude=exclude
    )
    state = _PruningState(method=method, scope=scope, seed=seed, schedule=schedule)
    rng = np.random.default_rng(seed) if seed is not None else None
    for key, variable in variables.items():
        priority = rng.random(tuple(variable.shape)) if rng is not None else None
        state.targets.append(_Target(key, variable, priority))
    state.update(target)
    object.__setattr__(pruned, _STATE_ATTR, state)
    return pruned, state.masks(target)


def get_masks(model: keras.Model) -> PruningMasks:
    """The current masks of a model returned by :func:`prune` (after any gradual steps).

    Examples
    --------
    >>> import keras
    >>> from cxrzoo.pruning import get_masks, prune
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5)])
    >>> pruned, _ = prune(model, 0.25)
    >>> get_masks(pruned).n_pruned
    5
    """
    return _state(model).masks(_state(model).current)


def strip(model: keras.Model) -> keras.Model:
    """Return a plain Keras copy of a pruned model: same weights (zeros included), no masks.

    The copy saves and loads with ``model.save`` / ``keras.saving.load_model`` and needs no
    custom objects. Training it further no longer holds the pruned weights at zero.

    Examples
    --------
    >>> import keras
    >>> from cxrzoo.pruning import prune, strip
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5)])
    >>> plain = strip(prune(model, 0.5)[0])
    >>> int((plain.layers[0].kernel.numpy() == 0).sum())
    10
    >>> plain.layers[0].kernel.constraint is None
    True
    """
    if isinstance(getattr(model, _STATE_ATTR, None), _PruningState):
        _state(model).apply()
    return copy_model(model)


class UpdatePruning(keras.callbacks.Callback):
    """Keras callback that prunes a model further as its :class:`PolynomialDecay` says.

    Use it when fitting the copy returned by :func:`~cxrzoo.pruning.prune` called with a
    schedule. At the first batch on or after each due step (counted by
    ``model.optimizer.iterations``) the masks are recomputed at the schedule's sparsity
    there: weights already pruned stay pruned, and the rest are ranked as ``prune`` ranked
    them (smallest magnitude now, or the same random order).

    Attributes
    ----------
    history : list of (int, float)
        ``(step, sparsity)`` of every mask update, the initial pruning included.

    Examples
    --------
    >>> import keras, numpy as np
    >>> from cxrzoo.pruning import PolynomialDecay, UpdatePruning, get_masks, prune
    >>> keras.utils.set_random_seed(0)
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8),
    ...                           keras.layers.Dense(1)])
    >>> schedule = PolynomialDecay(0.0, 0.5, begin_step=0, end_step=4, frequency=2)
    >>> pruned, _ = prune(model, schedule)
    >>> pruned.compile("sgd", "mse")
    >>> x, y = np.ones((32, 4)), np.ones((32, 1))
    >>> _ = pruned.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[UpdatePruning()])
    >>> get_masks(pruned).sparsity
    0.5
    """

    def __init__(self):
        super().__init__()
        self.history: list[tuple[int, float]] = []

    def on_train_batch_begin(self, batch, logs=None):
        state = _state(self.model)
        if state.schedule is None:
            raise ValueError(
                "UpdatePruning needs a model pruned with a PolynomialDecay schedule "
                "(prune(model, PolynomialDecay(...))); this one has a fixed sparsity"
            )
        step = int(self.model.optimizer.iterations.numpy())
        due = state.schedule.next_due(state.history[-1][0])
        if due is not None and step >= due:  # ">=": steps_per_execution may skip steps
            state.update(state.schedule.sparsity(step), step)
        self.history = list(state.history)


# --- internals ---------------------------------------------------------------------------

_STATE_ATTR = "_cxrzoo_pruning"


class _MaskConstraint(keras.constraints.Constraint):
    """Zero the masked weights after the variable's own constraint (if any)."""

    def __init__(self, mask: keras.Variable, inner=None):
        self.mask = mask
        self.inner = inner

    def __call__(self, w):
        if self.inner is not None:
            w = self.inner(w)
        return keras.ops.where(self.mask, w, keras.ops.zeros_like(w))


@dataclass
class _Target:
    """One pruned kernel: its variable, its mask and (random method) its fixed order."""

    key: str
    variable: keras.Variable
    priority: np.ndarray | None
    mask: keras.Variable = field(init=False)

    def __post_init__(self):
        self.mask = keras.Variable(
            np.ones(tuple(self.variable.shape), dtype=bool), dtype="bool", trainable=False
        )
        self.variable.constraint = _MaskConstraint(self.mask, self.variable.constraint)

    def scores(self, method: str) -> np.ndarray:
        """Rank of each weight: low scores are pruned first; pruned ones score -inf."""
        if method == "magnitude":
            scores = np.abs(np.asarray(self.variable.numpy(), dtype=np.float64))
        else:
            scores = self.priority.copy()
        scores[~np.asarray(self.mask.numpy())] = -np.inf
        return scores


@dataclass
class _PruningState:
    """What :func:`prune` attaches to the copy it returns."""

    method: str
    scope: str
    seed: int | None
    schedule: PolynomialDecay | None
    targets: list[_Target] = field(default_factory=list)
    current: float = 0.0
    history: list[tuple[int, float]] = field(default_factory=list)

    def update(self, sparsity: float, step: int = 0) -> None:
        """Prune to ``sparsity`` (masks only grow: already pruned weights stay pruned)."""
        scores = [t.scores(self.method) for t in self.targets]
        for target, keep in zip(self.targets, _select(scores, sparsity, self.scope), strict=True):
            target.mask.assign(keep)
        self.apply()
        self.current = sparsity
        self.history.append((step, sparsity))

    def apply(self) -> None:
        for t in self.targets:
            t.variable.assign(t.variable.constraint(t.variable))

    def masks(self, target: float) -> PruningMasks:
        return PruningMasks(
            masks={t.key: np.asarray(t.mask.numpy()).copy() for t in self.targets},
            method=self.method,
            scope=self.scope,
            target=target,
            seed=self.seed,
        )


def _state(model) -> _PruningState:
    state = getattr(model, _STATE_ATTR, None)
    if not isinstance(state, _PruningState):
        raise ValueError(
            f"model {getattr(model, 'name', model)!r} is not a pruned model; "
            "use the copy returned by cxrzoo.pruning.prune"
        )
    return state


def _n_pruned(sparsity: float, n: int) -> int:
    """``sparsity * n`` rounded half up (after dropping float noise such as 0.7 * 5 = 3.4999...)."""
    return int(np.floor(round(sparsity * n, 9) + 0.5))


def _prune_lowest(scores: np.ndarray, sparsity: float) -> np.ndarray:
    order = np.argsort(scores.ravel(), kind="stable")
    keep = np.ones(scores.size, dtype=bool)
    keep[order[: _n_pruned(sparsity, scores.size)]] = False
    return keep.reshape(scores.shape)


def _select(scores: list[np.ndarray], sparsity: float, scope: str) -> list[np.ndarray]:
    """Masks (True = keep) pruning the lowest-scoring weights, per kernel or over all."""
    if scope == "layer":
        return [_prune_lowest(s, sparsity) for s in scores]
    keep = _prune_lowest(np.concatenate([s.ravel() for s in scores]), sparsity)
    bounds = np.cumsum([s.size for s in scores])[:-1]
    return [k.reshape(s.shape) for k, s in zip(np.split(keep, bounds), scores, strict=True)]
