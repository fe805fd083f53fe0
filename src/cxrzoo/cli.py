"""The ``cxrzoo`` command: ``cxrzoo list [PATTERN]`` and ``cxrzoo info NAME``.

Each subcommand is a function ``run_<name>(args) -> int`` added in :func:`build_parser`
with ``set_defaults(func=...)``; more subcommands (training, evaluation) are added the
same way.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tabulate import tabulate

from cxreval._version import __version__

__all__ = ["build_parser", "main", "models_table"]


def models_table(pattern: str = "*") -> str:
    """The registered models matching ``pattern`` as a text table, one row per model.

    Parameters
    ----------
    pattern : str
        As for :func:`cxrzoo.list_models`.

    Returns
    -------
    str
        Columns: name, input shape, classes, backbone, weights, head, report file.

    Examples
    --------
    >>> print(models_table("szanet").splitlines()[2].split()[0])
    szanet.gupta
    """
    from cxrzoo.registry import get_preset, list_models

    rows = []
    for name in list_models(pattern):
        preset = get_preset(name)
        rows.append(
            (
                name,
                "x".join(str(s) for s in preset.input_shape),
                preset.num_classes,
                preset.backbone or "-",
                preset.weights or "-",
                preset.head.describe(),
                preset.source.report,
            )
        )
    headers = ["name", "input", "classes", "backbone", "weights", "head", "report"]
    return tabulate(rows, headers=headers)


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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="cxrzoo",
        description="The chest X-ray model zoo: every model of the source reports.",
    )
    parser.add_argument("--version", action="version", version=f"cxrzoo {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="list the models as a table")
    listing.add_argument(
        "pattern", nargs="?", default="*", help="shell-style pattern, e.g. 'resnet*' or '*.berreby'"
    )
    listing.set_defaults(func=run_list)

    info = commands.add_parser("info", help="print a model card")
    info.add_argument("name", help="architecture.tag, or an architecture for its default tag")
    info.set_defaults(func=run_info)
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
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
