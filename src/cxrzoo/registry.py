"""The model registry: names -> (preset, builder); the mechanism only.

A model name is ``architecture.tag`` (``"szanet.gupta"``); the bare architecture name
(``"szanet"``) means its default tag (the first registered, or one registered with
``default=True``). Every name maps to a :class:`~cxrzoo.Preset` and to a builder that
turns a preset into a Keras model; :func:`cxrzoo.build` (in :mod:`cxrzoo.factory`) calls it.

This module imports no model, weight, training or preset-data module, nor Keras: the
built-in presets (:mod:`cxrzoo.presets`) are registered by ``cxrzoo/__init__`` once this
module is loaded, and builders named ``"module:function"`` (:class:`LazyBuilder`) are
imported only when a model is built.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cxrzoo._optional import import_zoo_module
from cxrzoo.preset import Preset

__all__ = ["Builder", "LazyBuilder", "builder_of", "get_preset", "list_models", "register_model"]

#: A builder turns a (resolved) preset into an uncompiled keras.Model.
Builder = Callable[[Preset], Any]

_TARGET = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*")


class LazyBuilder:
    """A builder named by ``"module:function"``, imported only when a model is built.

    Calling it imports the module, looks the function up and returns
    ``function(preset, **options)``. Presets are data: registering them with lazy
    builders lets ``list_models``, ``get_preset`` and ``cxrzoo list``/``info`` run without
    importing Keras or TensorFlow.

    Parameters
    ----------
    target : str
        ``"package.module:function"``, e.g. ``"cxrzoo.models.szanet:build_szanet"``;
        ``function(preset, **options)`` returns a :class:`keras.Model`.
    **options
        Keyword arguments bound to every call (e.g. the layout of a from-scratch CNN).

    Raises
    ------
    TypeError
        If ``target`` is not a ``"module:function"`` string.

    Examples
    --------
    >>> builder = LazyBuilder("cxrzoo.models.szanet:build_szanet")
    >>> builder
    LazyBuilder('cxrzoo.models.szanet:build_szanet')
    >>> builder(get_preset("szanet")).count_params()
    2793057
    """

    __slots__ = ("options", "target")

    def __init__(self, target: str, **options: Any) -> None:
        if not isinstance(target, str) or not _TARGET.fullmatch(target):
            raise TypeError(
                "builder must be callable: builder(preset) -> keras.Model, or a "
                f"'module:function' string such as 'cxrzoo.models.szanet:build_szanet', "
                f"got {target!r}"
            )
        self.target = target
        self.options = options

    def __call__(self, preset: Preset) -> Any:
        module_name, function_name = self.target.split(":")
        function = getattr(import_zoo_module(module_name), function_name, None)
        if not callable(function):
            raise ImportError(f"builder {self.target!r}: {module_name} has no {function_name}()")
        return function(preset, **self.options)

    def __repr__(self) -> str:
        options = "".join(f", {key}={value!r}" for key, value in self.options.items())
        return f"LazyBuilder({self.target!r}{options})"


@dataclass(frozen=True)
class _Entry:
    preset: Preset
    builder: Builder


_REGISTRY: dict[str, _Entry] = {}
_DEFAULT_TAGS: dict[str, str] = {}


def register_model(
    preset: Preset, builder: Builder | str, *, default: bool = False, overwrite: bool = False
) -> Preset:
    """Add a model to the zoo.

    Parameters
    ----------
    preset : Preset
        The model's data; ``preset.name`` is its registry name.
    builder : callable or str
        ``builder(preset) -> keras.Model``: builds the uncompiled model ``preset``
        describes (its input shape, classes, head, ``weights`` and ``freeze_base``). A
        ``"module:function"`` string (or a :class:`LazyBuilder`, to bind options) names
        one that is imported only when the model is built, so registering and listing
        never import Keras; the built-in presets are registered this way.
    default : bool
        Make this tag the default of its architecture (the first registered tag of an
        architecture is its default anyway).
    overwrite : bool
        Replace a model already registered under the same name.

    Returns
    -------
    Preset
        ``preset``, so the call can sit in an assignment.

    Raises
    ------
    ValueError
        If the name is taken and ``overwrite`` is False.
    TypeError
        If ``preset`` is not a Preset, or ``builder`` neither callable nor a
        ``"module:function"`` string.

    Examples
    --------
    >>> import dataclasses, cxrzoo
    >>> mine = dataclasses.replace(cxrzoo.get_preset("szanet"), name="szanet.mine")
    >>> cxrzoo.register_model(mine, "cxrzoo.models.szanet:build_szanet").name
    'szanet.mine'
    >>> "szanet.mine" in cxrzoo.list_models("szanet*")
    True
    """
    if not isinstance(preset, Preset):
        raise TypeError(f"preset must be a Preset, got {type(preset).__name__}")
    if isinstance(builder, str):
        builder = LazyBuilder(builder)
    if not callable(builder):
        raise TypeError(
            "builder must be callable: builder(preset) -> keras.Model, or a "
            f"'module:function' string, got {type(builder).__name__}"
        )
    if preset.name in _REGISTRY and not overwrite:
        raise ValueError(
            f"name={preset.name!r} is already registered; pass overwrite=True to replace it"
        )
    _REGISTRY[preset.name] = _Entry(preset, builder)
    if default or preset.architecture not in _DEFAULT_TAGS:
        _DEFAULT_TAGS[preset.architecture] = preset.tag
    return preset


def _resolve(name: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    key = name.strip().lower()
    if "." not in key and key in _DEFAULT_TAGS:
        key = f"{key}.{_DEFAULT_TAGS[key]}"
    if key in _REGISTRY:
        return key
    candidates = sorted(set(_REGISTRY) | set(_DEFAULT_TAGS))
    close = difflib.get_close_matches(key, candidates, n=5, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(
        f"name={name!r} is not a registered model{hint} "
        f"(cxrzoo.list_models() lists all {len(_REGISTRY)})"
    )


def list_models(pattern: str = "*") -> list[str]:
    """Names of the registered models that match a shell-style pattern, sorted.

    Parameters
    ----------
    pattern : str
        :mod:`fnmatch` pattern (case-insensitive) matched against the full name
        (``"resnet*"``, ``"*.berreby"``) and against the architecture alone, so
        ``"resnet50"`` lists every ``resnet50.*`` tag.

    Returns
    -------
    list of str
        Full ``architecture.tag`` names.

    Examples
    --------
    >>> list_models("szanet")
    ['szanet.gupta', 'szanet.pneumoniamnist']
    >>> list_models("*.covid3")
    ['inception_v3.covid3', 'resnet101v2.covid3']
    """
    if not isinstance(pattern, str):
        raise TypeError(f"pattern must be a str, got {type(pattern).__name__}")
    pattern = pattern.strip().lower()
    return sorted(
        name
        for name in _REGISTRY
        if fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(name.split(".")[0], pattern)
    )


def get_preset(name: str) -> Preset:
    """The preset of a model.

    Parameters
    ----------
    name : str
        ``"architecture.tag"`` or a bare architecture name (its default tag).

    Returns
    -------
    Preset

    Raises
    ------
    ValueError
        For an unknown name; the message suggests the closest registered names.

    Examples
    --------
    >>> preset = get_preset("szanet")
    >>> preset.name, preset.input_shape, preset.recipe.learning_rate
    ('szanet.gupta', (224, 224, 3), 5e-05)
    """
    return _REGISTRY[_resolve(name)].preset


def builder_of(model: str | Preset) -> Builder:
    """The builder of a registered name, or of a preset: the one registered under its name,
    else its architecture's default tag's.

    Raises
    ------
    ValueError
        For an unknown name, or a preset whose architecture is not registered.

    Examples
    --------
    >>> builder_of("szanet")
    LazyBuilder('cxrzoo.models.szanet:build_szanet')
    """
    if not isinstance(model, Preset):
        return _REGISTRY[_resolve(model)].builder
    preset = model
    entry = _REGISTRY.get(preset.name)
    if entry is None and preset.architecture in _DEFAULT_TAGS:
        entry = _REGISTRY[f"{preset.architecture}.{_DEFAULT_TAGS[preset.architecture]}"]
    if entry is None:
        raise ValueError(
            f"preset {preset.name!r}: no model of architecture {preset.architecture!r} is "
            "registered to build it with; register it first with "
            "cxrzoo.register_model(preset, builder)"
        )
    return entry.builder
