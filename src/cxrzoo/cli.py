"""The ``cxrzoo`` command: ``list``, ``info``, ``train``, ``evaluate`` and ``demo``.

One job: the command line -- parsing, the subcommands' terminal output and exit statuses;
the work itself is the library's.

Each subcommand is a function ``run_<name>(args) -> int`` added in :func:`build_parser`
with ``set_defaults(func=...)``; more subcommands (training, evaluation) are added the
same way. The command keeps the terminal quiet: TensorFlow's start-up log lines are left
out (:func:`import_tensorflow_quietly`, :data:`QUIET_ENVIRONMENT`; the library itself
changes nothing for API users), training shows one progress bar per epoch
(:class:`~cxrzoo.training.callbacks.ProgressBar`), and a closed pipe (``cxrzoo list |
head``) ends it without a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from tabulate import tabulate

from cxrzoo.explain_cli import add_explain_parser

__all__ = [
    "QUIET_ENVIRONMENT",
    "build_parser",
    "headline_result",
    "import_tensorflow_quietly",
    "main",
    "models_table",
]

#: Exceptions that end a subcommand with a one-line error instead of a traceback.
USER_ERRORS = (ValueError, TypeError, OSError)

#: Environment variables :func:`main` sets, unless they are set already, before TensorFlow
#: is imported: its C++ log lines only for fatal errors (no "failed call to cuInit").
QUIET_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "3"}

#: The lines TensorFlow's C++ code prints while it loads, before any log setting applies
#: (absl's "All log messages before absl::InitializeLog()", oneDNN's and the CUDA stub's
#: info lines): :func:`import_tensorflow_quietly` leaves them out.
TF_START_UP_LINE = re.compile(
    r"WARNING: All log messages before absl::InitializeLog\(\) is called"
    r"|[IW]\d{4} [\d:.]+ +\d+ \S+:\d+\] "
)


def import_tensorflow_quietly() -> None:
    """Import TensorFlow with its start-up log lines (:data:`TF_START_UP_LINE`) left out;
    anything else it prints while loading (errors, warnings) is printed as usual.

    The ``cxrzoo`` command calls this before training or evaluating; importing
    :mod:`cxrzoo` in your own code leaves TensorFlow's output as it is. A no-op once
    TensorFlow is imported.

    Examples
    --------
    >>> import_tensorflow_quietly()
    >>> import sys; "tensorflow" in sys.modules
    True
    """
    import tempfile

    if "tensorflow" in sys.modules:
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)  # C++ writes to the file descriptor, not sys.stderr
        try:
            import tensorflow  # noqa: F401
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            lines = capture.read().decode(errors="replace").splitlines(keepends=True)
            sys.stderr.write("".join(ln for ln in lines if not TF_START_UP_LINE.match(ln)))


def models_table(pattern: str = "*", width: int = 100) -> str:
    """The registered models matching ``pattern`` as a text table, one row per model, and
    below it the reports they come from, numbered as the table cites them.

    Parameters
    ----------
    pattern : str
        As for :func:`cxrzoo.list_models`.
    width : int
        Width the reference list is wrapped to (the table itself is narrower than 100).

    Returns
    -------
    str
        Columns: name, input shape, classes, starting weights, the report's headline
        result (:func:`headline_result`) and the reference number of its report.

    Examples
    --------
    >>> print(models_table("szanet.gupta"))
    name          input        classes  weights    reported         ref
    ------------  ---------  ---------  ---------  ---------------  -----
    szanet.gupta  224x224x3          2  -          AUC 0.956 (val)  [1]
    <BLANKLINE>
    [1] Gupta, Mishra & Yang (report 002): Pneumonia Diagnosis via Chest X-ray Image Classification
        using Deep Learning and Transfer Learning
    <BLANKLINE>
    reported: the report's headline result; cxrzoo info NAME for the model card
    """
    import textwrap

    from cxrzoo.registry import get_preset, list_models

    rows, sources = [], {}
    for name in list_models(pattern):
        preset = get_preset(name)
        source = preset.source
        key = source.report + (f": {source.title}" if source.title else "")
        number = sources.setdefault(key, len(sources) + 1)
        rows.append(
            (
                name,
                "x".join(str(s) for s in preset.input_shape),
                preset.num_classes,
                preset.weights or "-",
                headline_result(preset) or "-",
                f"[{number}]",
            )
        )
    headers = ["name", "input", "classes", "weights", "reported", "ref"]
    references = [
        textwrap.fill(f"[{n}] {key}", width=width, subsequent_indent="    ", break_on_hyphens=False)
        for key, n in sources.items()
    ]
    footer = "reported: the report's headline result; cxrzoo info NAME for the model card"
    return "\n\n".join((tabulate(rows, headers=headers), "\n".join(references), footer))


#: :func:`headline_result`'s choice: the first of these metrics a preset reports ...
HEADLINE_METRICS = {"roc_auc": "AUC", "accuracy": "accuracy", "f1": "F1"}
#: ... and, for the same metric, the split in this order (others after, ``train`` never).
HEADLINE_SPLITS = ("test", "validation")


def headline_result(preset) -> str | None:
    """A preset's headline result in a few words: ``"AUC 0.9649 (test)"``.

    The report's first AUC, else its first accuracy, else its first F1 (a validation
    number when the report gives none on a test split; never a training one), else its
    last-epoch validation accuracy ("last-epoch acc."); None when the report gives none of these.

    Examples
    --------
    >>> from cxrzoo.registry import get_preset
    >>> headline_result(get_preset("densenet121.pneumoniamnist"))
    'AUC 0.9649 (test)'
    >>> headline_result(get_preset("resnet50.bolhassani_focal"))
    'accuracy 0.755 (test)'
    """
    candidates = []
    for order, result in enumerate(preset.reported):
        split = result.split.split()[0] if result.split else ""
        if split == "train" or (result.metric, split) == ("accuracy_last_epoch", "train"):
            continue
        metrics = [*HEADLINE_METRICS, "accuracy_last_epoch"]
        if result.metric in metrics:
            split_rank = HEADLINE_SPLITS.index(split) if split in HEADLINE_SPLITS else 2
            candidates.append((metrics.index(result.metric), split_rank, order, result, split))
    if not candidates:
        return None
    *_, result, split = min(candidates, key=lambda c: c[:3])
    label = HEADLINE_METRICS.get(result.metric, "last-epoch acc.")
    return f"{label} {result.value:g} ({'val' if split == 'validation' else split})"


def run_list(args: argparse.Namespace) -> int:
    """``cxrzoo list [PATTERN]``: print the matching models as a table."""
    from cxrzoo.registry import list_models

    if not list_models(args.pattern):
        print(f"cxrzoo list: no model matches {args.pattern!r}", file=sys.stderr)
        return 1
    print(models_table(args.pattern))
    return 0


def run_info(args: argparse.Namespace) -> int:
    """``cxrzoo info NAME``: print the model card of one preset."""
    from cxrzoo.registry import get_preset

    try:
        preset = get_preset(args.name)
    except ValueError as error:
        print(f"cxrzoo info: {error}", file=sys.stderr)
        return 2
    print(preset.card())
    return 0


#: Terminal colour codes, as Keras puts in some of its messages.
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _fail(command: str, error: BaseException) -> int:
    """Print ``cxrzoo COMMAND: error: MESSAGE`` on one line to stderr; exit status 1."""
    message = " ".join(_ANSI.sub("", str(error)).split()) or type(error).__name__
    print(f"cxrzoo {command}: error: {message}", file=sys.stderr)
    return 1


def _input_shape(name: str, size: int | None, channels: int | None):
    """``(size, size, channels)`` with the preset's values where not given; None if neither.

    Raises ValueError for an unknown model name or a size below 1.
    """
    from cxrzoo.registry import get_preset

    height, width, own_channels = get_preset(name).input_shape
    if size is not None and size < 1:
        raise ValueError(f"--input-size must be an integer >= 1, got {size}")
    if size is None and channels is None:
        return None
    return (
        height if size is None else size,
        width if size is None else size,
        own_channels if channels is None else channels,
    )


def _load_data(args: argparse.Namespace) -> dict:
    """The splits of ``--data``, with ``--drop`` (folders) or ``--task`` (CoronaHack CSV)."""
    from cxrzoo.data import load

    options: dict = {}
    is_csv = str(args.data).lower().endswith(".csv")
    if getattr(args, "task", None):
        if not is_csv:
            raise ValueError("--task applies to a CoronaHack metadata .csv only")
        options["task"] = args.task
    if getattr(args, "drop", None):
        if is_csv or str(args.data).lower().endswith(".npz"):
            raise ValueError("--drop applies to a data folder only")
        options["drop"] = args.drop
    return load(args.data, **options)


def _add_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--drop", nargs="+", metavar="CLASS", help="leave out these class folders")
    parser.add_argument(
        "--task",
        choices=("four_class", "normal_pneumonia", "bacteria_virus"),
        help="task of a CoronaHack .csv (four_class)",
    )


def _training_options(args: argparse.Namespace):
    """The :class:`~cxrzoo.training.TrainOptions` of ``cxrzoo train``'s flags."""
    from cxrzoo.training.options import TrainOptions

    return TrainOptions(
        epochs=args.epochs,
        fine_tune_epochs=args.fine_tune_epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        input_shape=_input_shape(args.name, args.input_size, args.channels),
        weights=None if args.weights == "random" else args.weights,
        mixed_precision=args.mixed_precision,
        jit_compile=True if args.xla else "auto",
        on_error="raise" if args.strict else "warn",
        **progress_options(args.quiet, workers=(getattr(args, "jobs", None) or 1) > 1),
    )


def progress_options(quiet: bool, workers: bool = False) -> dict:
    """``verbose`` and ``callbacks`` for training: one progress bar per epoch, Keras' own
    lines off; ``quiet``: nothing; ``workers`` (worker processes): Keras' epoch lines."""
    if quiet or workers:
        return {"verbose": 0 if quiet else 2}
    from cxrzoo.training.callbacks import ProgressBar

    return {"verbose": 0, "callbacks": (ProgressBar(),)}


def run_train(args: argparse.Namespace) -> int:
    """``cxrzoo train NAME --data PATH --out DIR``: train with the preset's recipe
    (``--seeds``: one model per seed, ``--jobs`` at a time; ``--folds``: k-fold)."""
    try:
        if args.seeds and args.folds:
            raise ValueError("give --seeds or --folds, not both")
        if args.seeds and args.seed is not None:
            raise ValueError("give --seed or --seeds, not both")
        if (args.jobs is not None or args.threads is not None) and not (args.seeds or args.folds):
            raise ValueError("--jobs and --threads apply to --seeds or --folds")
        data = _load_data(args)  # a bad path fails here, before TensorFlow is imported
        import_tensorflow_quietly()
        options = _training_options(args).keywords()
        del options["validation_split"]  # the recipe's (train); the folds' (cross-validation)
        seed = 0 if args.seed is None else args.seed
        workers = {"jobs": 1 if args.jobs is None else args.jobs, "threads": args.threads}
        if args.seeds:
            from cxrzoo.seeds import train_seeds

            results = train_seeds(args.name, data, args.seeds, out=args.out, **workers, **options)
        else:
            from cxrzoo.training import cross_validate, train

            if args.folds:
                results = [
                    cross_validate(
                        args.name,
                        data,
                        folds=args.folds,
                        out=args.out,
                        seed=seed,
                        **workers,
                        **options,
                    )
                ]
            else:
                results = [train(args.name, data, out=args.out, seed=seed, **options)]
    except USER_ERRORS as error:
        return _fail("train", error)
    print("\n\n".join(str(result) for result in results))
    print(f"\nwritten to {args.out}")
    if args.seeds:
        runs = " ".join(str(Path(args.out) / f"seed{s}") for s in args.seeds)
        print(f"evaluate them as an ensemble: cxrzoo evaluate {runs} --data {args.data} --out DIR")
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    """``cxrzoo evaluate MODEL [MODEL ...] --data PATH --out DIR``: report a trained model
    (several: their averaged probabilities, an ensemble)."""
    try:
        for path in args.model:
            if not Path(path).exists():
                raise FileNotFoundError(f"model {path!r} does not exist")
        data = _load_data(args)
        import_tensorflow_quietly()
        from cxrzoo.evaluation import evaluate
        from cxrzoo.training import load_trained

        loaded = [load_trained(path) for path in args.model]
        names = {tuple(n) for _, n in loaded if n is not None}
        if len(names) > 1:
            raise ValueError(f"the models were trained on different classes: {sorted(names)}")
        evaluation = evaluate(
            [model for model, _ in loaded] if len(loaded) > 1 else loaded[0][0],
            data,
            class_names=next(iter(names), None),
            tta=args.tta,
            threshold=args.threshold,
            criterion=args.criterion,
            target=args.target,
            level=args.level,
            out=args.out,
            force=args.force,
            on_error="raise" if args.strict else "warn",
            auc_ci_method="bootstrap" if args.bootstrap else "delong",
            n_boot=args.bootstrap or 2000,
            random_state=args.seed,
        )
    except USER_ERRORS as error:
        return _fail("evaluate", error)
    print(evaluation)
    print(f"\nreport written to {args.out}")
    return 0


def demo_data(args: argparse.Namespace) -> tuple[dict, object, str, str]:
    """``cxrzoo demo``'s data: ``({"train", "val"}, test ImageSet, what it is, what its
    test split is)``, with ``args.size`` set (PneumoniaMNIST's own 28, else 64).

    PneumoniaMNIST, shipped with cxrzoo, by default; ``--phantoms``: synthetic phantoms;
    ``--data PATH``: a folder or ``.npz``.
    """
    from cxrzoo.data import load_pneumoniamnist, synthetic

    if args.n is not None and not args.phantoms:
        raise ValueError("--n applies to --phantoms only")
    if args.size is None:
        args.size = 28 if not (args.phantoms or args.data) else 64
    if args.phantoms:
        n = 1500 if args.n is None else args.n
        data = synthetic(n, size=args.size, seed=args.seed)
        test = synthetic(max(n // 3, 20), size=args.size, seed=args.seed + 1)
        source = f"{n} + {len(test)} synthetic phantoms ({args.size}x{args.size}, not X-rays)"
        return data, test, source, "held-out phantoms"
    splits = load_pneumoniamnist() if args.data is None else _load_data(args)
    data = splits.get("train") or next(iter(splits.values()))
    test = splits.get("test")
    if args.data is None:
        source = (
            "PneumoniaMNIST (MedMNIST v2, shipped with cxrzoo: real pediatric chest X-rays, "
            f"28x28; {len(data):,} train, {len(splits['val']):,} val, {len(test):,} test)"
        )
        tested = f"MedMNIST's official test split ({len(test)} images, unseen in training)"
    else:
        source, tested = str(args.data), "its test split"
    if test is None:
        data, test = data.split(0.2, seed=args.seed)
        tested = "20 % of its training images, held out"
    if "val" in splits:
        data = {"train": data, "val": splits["val"]}
    return data, test, source, tested


def run_demo(args: argparse.Namespace) -> int:
    """``cxrzoo demo [--phantoms | --data PATH]``: train SZANet small on PneumoniaMNIST
    (or phantoms, or your data), evaluate it on the test split, print the report.

    The new training and evaluation are written into a hidden folder in ``--out`` first
    and replace an earlier demo's (``--force``) only once both are complete.
    """
    out = Path(args.out)
    parts = [out / "training", out / "evaluation"]
    try:
        if out.exists() and any(out.iterdir()) and not args.force:
            raise FileExistsError(
                f"{out} exists and is not empty; choose another --out or pass --force"
            )
        data, test, source, tested = demo_data(args)
        if not isinstance(data, dict):
            train_part, val = data.split(0.2, seed=args.seed)
            data = {"train": train_part, "val": val}
        print(f"cxrzoo demo: SZANet (002) at {args.size}x{args.size}x1 on {source}", flush=True)
        print(f"tested on {tested}", flush=True)
        import_tensorflow_quietly()
        from cxrzoo.evaluation import evaluate
        from cxrzoo.training import train

        with _staged(out, [part.name for part in parts]) as stage:
            result = train(
                "szanet",
                data,
                input_shape=(args.size, args.size, 1),
                epochs=args.epochs,
                learning_rate=args.learning_rate,
                batch_size=args.batch_size,
                out=stage / parts[0].name,
                seed=args.seed,
                **progress_options(args.quiet),
            )
            evaluation = evaluate(
                result, {"test": test, "val": data["val"]}, out=stage / parts[1].name
            )
        _record_out(parts[0])
    except USER_ERRORS as error:
        return _fail("demo", error)
    report = evaluation.report
    print(
        f"\n{report.title}\ntest data: {evaluation.source}; threshold {report.threshold:.4g} "
        f"({evaluation.threshold_method})"
    )
    for heading, text in report.sections()[:2]:  # statistics, then ROC AUC with its CI
        print(f"\n{heading}\n{'-' * len(heading)}\n{text}")
    print(f"\ncalibration: Brier {report.calibration.brier:.4f}, ECE {report.calibration.ece:.4f}")
    print(
        f"\nOne model, one seed, {report.n} test images: read every number with its 95 % "
        "confidence interval, not to the last digit."
    )
    kept = result.kept_epoch
    if kept is not None:
        epoch, phase = kept["epoch"] + 1, kept["phase"]
        print(f"kept: the weights of epoch {epoch} of phase {phase}: {kept['rule']}")
    print(f"weights to use: {parts[0] / 'model.weights.h5'} (every file: train.json, 'files')")
    print(f"training (history, curves, weights): {parts[0]}")
    print(f"full report (text, JSON, HTML) and figures: {parts[1]}")
    return 0


#: Hidden folders of ``cxrzoo demo`` in its ``--out``: the new output while it is written,
#: the previous one while it is being replaced.
_NEW, _OLD = ".demo-new.", ".demo-old."


@contextlib.contextmanager
def _staged(out: Path, names: Sequence[str]):
    """A new hidden folder in ``out`` to write ``names`` into; when the block ends without
    an error, each replaces ``out/NAME`` (the old one is removed only after its new one is
    in place); on an error, or before, nothing in ``out`` is touched but the stage.
    A stage left by a killed run is removed first."""
    import shutil
    import tempfile

    out.mkdir(parents=True, exist_ok=True)
    for leftover in out.glob(f"{_NEW}*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
    stage = Path(tempfile.mkdtemp(prefix=_NEW, dir=out))
    try:
        yield stage
        old = Path(tempfile.mkdtemp(prefix=_OLD, dir=out))
        for name in names:
            if os.path.lexists(out / name):
                os.replace(out / name, old / name)
            os.replace(stage / name, out / name)
        shutil.rmtree(old)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _record_out(folder: Path) -> None:
    """Rewrite ``folder/train.json`` with ``folder`` as the run's folder (it was trained
    in a stage, see :func:`_staged`)."""
    import json

    from cxreval._io import write_atomic

    info_file = folder / "train.json"
    info = json.loads(info_file.read_text(encoding="utf-8"))
    info["out"] = str(folder)
    write_atomic(info_file, json.dumps(info, indent=2))


def _add_training_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--epochs", type=int, help="epochs of the first phase (recipe's)")
    parser.add_argument(
        "--fine-tune-epochs", type=int, help="epochs of the fine-tuning phase (0 skips it)"
    )
    parser.add_argument("--batch-size", type=int, help="batch size (recipe's)")
    parser.add_argument("--learning-rate", type=float, help="first-phase learning rate")
    parser.add_argument("--seed", type=int, help="seed of everything random (0)")
    parser.add_argument(
        "--weights",
        default="preset",
        metavar="WEIGHTS",
        help="starting weights: preset (the preset's source), random, imagenet, chexnet "
        "or a .weights.h5 file (preset)",
    )
    parser.add_argument("--mixed-precision", action="store_true", help="mixed_float16 (GPUs)")
    parser.add_argument("--xla", action="store_true", help="compile with XLA")
    parser.add_argument(
        "--strict", action="store_true", help="stop on unreadable images instead of skipping"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


class _Version(argparse.Action):
    """``--version``: the version is read only when asked for (it imports cxreval)."""

    def __call__(self, parser, namespace, values, option_string=None):
        from cxreval._version import __version__

        print(f"cxrzoo {__version__}")  # on stdout, as argparse's own version action
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand.

    Examples
    --------
    >>> args = build_parser().parse_args(["train", "szanet", "--data", "x.npz", "--out", "run"])
    >>> args.command, args.name, args.input_size
    ('train', 'szanet', None)
    """
    parser = argparse.ArgumentParser(
        prog="cxrzoo",
        description="The chest X-ray model zoo: every model of the source reports.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="list the models as a table")
    listing.add_argument(
        "pattern", nargs="?", default="*", help="shell-style pattern, e.g. 'resnet*' or '*.berreby'"
    )
    listing.set_defaults(func=run_list)

    info = commands.add_parser("info", help="print a model card")
    info.add_argument("name", help="architecture.tag, or an architecture for its default tag")
    info.set_defaults(func=run_info)

    training = commands.add_parser("train", help="train a model with its preset's recipe")
    training.add_argument("name", help="architecture.tag, or an architecture for its default tag")
    training.add_argument("--data", required=True, help="data folder, .npz or CoronaHack .csv")
    training.add_argument("--out", required=True, help="folder for weights, history and plots")
    training.add_argument("--input-size", type=int, help="image height and width (preset's)")
    training.add_argument("--channels", type=int, choices=(1, 3), help="1 or 3 (preset's)")
    training.add_argument("--folds", type=int, help="k-fold cross-validation instead")
    training.add_argument(
        "--seeds", type=int, nargs="+", help="one model per seed, in OUT/seed<S> (an ensemble)"
    )
    training.add_argument("--jobs", type=int, help="--seeds, --folds: models trained at once (1)")
    training.add_argument(
        "--threads", type=int, help="--seeds, --folds: TensorFlow threads per worker (CPUs / jobs)"
    )
    _add_data_options(training)
    _add_training_options(training)
    training.set_defaults(func=run_train)

    evaluating = commands.add_parser("evaluate", help="report a trained model on data")
    evaluating.add_argument(
        "model",
        nargs="+",
        help="folder written by 'cxrzoo train', or a .keras file; several: an ensemble "
        "(their probabilities averaged)",
    )
    evaluating.add_argument(
        "--tta", choices=("flip",), help="test-time augmentation: average with the mirror image"
    )
    evaluating.add_argument("--data", required=True, help="data: its test split is evaluated")
    evaluating.add_argument("--out", required=True, help="folder for the report and figures")
    evaluating.add_argument(
        "--force", action="store_true", help="replace an earlier evaluation in --out"
    )
    evaluating.add_argument(
        "--threshold", type=float, help="fixed threshold (default: chosen on the val split)"
    )
    evaluating.add_argument(
        "--criterion",
        choices=("youden", "sensitivity", "specificity", "closest_topleft"),
        default="youden",
        help="how the threshold is chosen on the val split (youden)",
    )
    evaluating.add_argument(
        "--target", type=float, help="the sensitivity or specificity asked for, e.g. 0.95"
    )
    evaluating.add_argument("--level", type=float, default=0.95, help="confidence level")
    evaluating.add_argument(
        "--bootstrap", type=int, metavar="N", help="bootstrap AUC CI with N resamples"
    )
    evaluating.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    evaluating.add_argument("--strict", action="store_true", help="stop on unreadable images")
    _add_data_options(evaluating)
    evaluating.set_defaults(func=run_evaluate)

    demo = commands.add_parser(
        "demo",
        help="train SZANet on PneumoniaMNIST (shipped; or --phantoms, --data), evaluate, report",
    )
    source = demo.add_mutually_exclusive_group()
    source.add_argument(
        "--phantoms", action="store_true", help="synthetic phantoms instead of PneumoniaMNIST"
    )
    source.add_argument("--data", help="a data folder or .npz instead of PneumoniaMNIST")
    demo.add_argument("--out", default="cxrzoo-demo", help="output folder (cxrzoo-demo)")
    demo.add_argument("--force", action="store_true", help="replace an earlier demo's output")
    demo.add_argument(
        "--size", type=int, help="input size (PneumoniaMNIST: its own 28; otherwise 64)"
    )
    demo.add_argument("--n", type=int, help="--phantoms: synthetic training images (1500)")
    demo.add_argument("--epochs", type=int, default=15, help="training epochs (15)")
    demo.add_argument("--batch-size", type=int, default=16, help="batch size (16)")
    demo.add_argument("--learning-rate", type=float, default=3e-4, help="learning rate (3e-4)")
    demo.add_argument("--seed", type=int, default=0, help="seed (0)")
    demo.add_argument("--quiet", action="store_true", help="no progress bars")
    _add_data_options(demo)
    demo.set_defaults(func=run_demo)
    add_explain_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cxrzoo`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status: 0 on success, 1 when nothing matched, 2 for a bad name.

    Examples
    --------
    >>> main(["info", "szanet"])  # doctest: +ELLIPSIS
    szanet.gupta
    ============
    SZANet, 3 conv blocks + dense head, from scratch (report 002)
    ...
    0
    """
    for name, value in QUIET_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    args = build_parser().parse_args(argv)
    try:
        status = args.func(args)
        sys.stdout.flush()  # a closed pipe fails here, inside the try
        return status
    except BrokenPipeError:  # e.g. cxrzoo list | head: the reader has gone, stop quietly
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # the flush at exit must not fail again
            os.close(devnull)
        return 1
    except ModuleNotFoundError as err:
        from cxrzoo._optional import ZOO_EXTRA_HINT, missing_zoo_package

        missing = missing_zoo_package(err)
        if missing is None:
            raise
        print(f"cxrzoo {args.command}: needs {missing}: {ZOO_EXTRA_HINT}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
