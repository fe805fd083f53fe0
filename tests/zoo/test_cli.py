"""The ``cxrzoo`` command, run in-process through ``main(argv)`` and once as a module."""

import pytest
from tests._helpers import run_snippet

import cxrzoo
from cxrzoo.cli import build_parser, main


def test_list_prints_every_model(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["name", "input", "classes", "backbone", "weights", "head", "report"]
    names = [line.split()[0] for line in out[2:]]
    assert names == cxrzoo.list_models()


def test_list_with_pattern(capsys):
    assert main(["list", "*.covid3"]) == 0
    rows = capsys.readouterr().out.splitlines()[2:]
    assert [r.split()[0] for r in rows] == ["inception_v3.covid3", "resnet101v2.covid3"]
    assert rows[0].split()[1:5] == ["256x256x3", "3", "InceptionV3", "imagenet"]
    assert "GAP > Dropout 0.5 > softmax" in rows[0]
    assert rows[0].endswith("(report 001)")


def test_list_without_match_fails(capsys):
    assert main(["list", "nothing*"]) == 1
    assert "cxrzoo list: no model matches 'nothing*'" in capsys.readouterr().err


def test_info_prints_the_model_card(capsys):
    assert main(["info", "resnet50.bolhassani_focal"]) == 0
    out = capsys.readouterr().out
    assert out == cxrzoo.get_preset("resnet50.bolhassani_focal").card() + "\n"
    assert "focal (gamma 2, alpha 0.25)" in out
    assert "x0.5 every 10 epochs" in out
    assert "Table 1, PRFL" in out


def test_info_unknown_name_suggests(capsys):
    assert main(["info", "resnet5"]) == 2
    err = capsys.readouterr().err
    assert "cxrzoo info: name='resnet5' is not a registered model; did you mean" in err
    assert "'resnet50'" in err


def test_subcommand_is_required(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "required: COMMAND" in capsys.readouterr().err


def test_parser_takes_more_subcommands():
    parser = build_parser()
    actions = [a for a in parser._actions if a.dest == "command"]
    assert sorted(actions[0].choices) == ["demo", "evaluate", "info", "list", "train"]


#: ``python -m cxrzoo ARGS`` as a snippet for :func:`tests._helpers.run_snippet`.
MODULE_MAIN = "import runpy\nrunpy.run_module('cxrzoo', run_name='__main__', alter_sys=True)\n"

#: The environment without the test session's TensorFlow log settings.
BARE = {"TF_CPP_MIN_LOG_LEVEL": None}


def test_module_entry_point_runs():
    result = run_snippet(MODULE_MAIN, "list", "szanet", env={"TF_CPP_MIN_LOG_LEVEL": "3"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[2].split()[0] == "szanet.gupta"


def _run_cli_probe(*argv: str):
    """``main(argv)`` in a fresh interpreter; stderr ends with the heavy modules it loaded
    (TensorFlow, Keras, and cxreval with scipy, which listing does not need either)."""
    code = (
        "import sys\n"
        "from cxrzoo.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "heavy = ('tensorflow', 'keras', 'cxreval', 'scipy')\n"
        "print([m for m in heavy if m in sys.modules], file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    return run_snippet(code, *argv, env=BARE)


def test_list_and_info_do_not_import_tensorflow():
    listed = _run_cli_probe("list")
    assert listed.returncode == 0 and listed.stderr == "[]\n"
    assert len(listed.stdout.splitlines()) == 2 + len(cxrzoo.list_models())
    info = _run_cli_probe("info", "szanet")
    assert info.returncode == 0 and info.stderr == "[]\n"
    assert info.stdout == cxrzoo.get_preset("szanet").card() + "\n"


def test_version_is_the_projects_one(capsys):
    import cxreval

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"cxrzoo {cxreval.__version__}\n"
    assert cxrzoo.__version__ == cxreval.__version__


def test_unknown_name_is_a_one_line_error():
    result = run_snippet(MODULE_MAIN, "info", "szant", env=BARE)
    assert result.returncode == 2 and result.stdout == ""
    [error] = result.stderr.splitlines()  # no TensorFlow log lines before it
    assert error.startswith("cxrzoo info: name='szant' is not a registered model; did you mean")


def test_train_weights_flag_speaks_the_weights_vocabulary():
    from cxrzoo.cli import _training_options

    parser = build_parser()
    base = ["train", "szanet", "--data", "x.npz", "--out", "run"]
    assert _training_options(parser.parse_args(base)).weights == "preset"
    assert _training_options(parser.parse_args([*base, "--weights", "random"])).weights is None
    options = _training_options(parser.parse_args([*base, "--weights", "w.weights.h5"]))
    assert options.weights == "w.weights.h5"
