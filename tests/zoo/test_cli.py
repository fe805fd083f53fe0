"""The ``cxrzoo`` command, run in-process through ``main(argv)`` and once as a module."""

import pytest
from tests._helpers import run_snippet

import cxrzoo
from cxrzoo.cli import build_parser, main


def model_rows(out: str) -> list[str]:
    """The table rows of ``cxrzoo list``'s output (the references follow a blank line)."""
    return out.split("\n\n")[0].splitlines()[2:]


def test_list_prints_every_model(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == [
        "name",
        "input",
        "classes",
        "weights",
        "reported",
        "ref",
    ]
    assert [line.split()[0] for line in model_rows(out)] == cxrzoo.list_models()
    assert "002_" not in out and ".txt" not in out  # citations, no internal file names


def test_list_fits_100_columns_with_a_citation_and_a_result_per_model(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 100
    rows = {row.split()[0]: row for row in model_rows(out)}
    assert "AUC 0.9649 (test)" in rows["densenet121.pneumoniamnist"]
    assert "accuracy 0.755 (test)" in rows["resnet50.bolhassani_focal"]
    ref = rows["szanet.gupta"].split()[-1]
    assert f"\n{ref} Gupta, Mishra & Yang (report 002): Pneumonia Diagnosis" in out


def test_list_with_pattern(capsys):
    assert main(["list", "*.covid3"]) == 0
    out = capsys.readouterr().out
    rows = model_rows(out)
    assert [r.split()[0] for r in rows] == ["inception_v3.covid3", "resnet101v2.covid3"]
    assert rows[0].split()[1:4] == ["256x256x3", "3", "imagenet"]
    assert "F1 0.8045 (val)" in rows[0]
    assert rows[0].endswith("[1]") and rows[1].endswith("[1]")
    assert "[1] unsigned student report (report 001): Classification of Chest X-Rays" in out


def test_list_into_a_closed_pipe_exits_quietly():
    import subprocess
    import sys

    from tests._helpers import ROOT, SRC

    env = {**__import__("os").environ, "PYTHONPATH": f"{SRC}:{ROOT}"}
    code = "import sys; from cxrzoo.cli import main; sys.exit(main(['list']))"
    with subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    ) as process:
        process.stdout.close()  # the reader is gone before the first line is written
        err = process.stderr.read().decode()
        assert process.wait(timeout=120) == 1
    assert err == ""  # no BrokenPipeError traceback, no "Exception ignored" at exit


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
    assert sorted(actions[0].choices) == ["demo", "evaluate", "explain", "info", "list", "train"]


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
    assert len(model_rows(listed.stdout)) == len(cxrzoo.list_models())
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


def test_tensorflow_start_up_lines_are_left_out():
    code = (
        "from cxrzoo.cli import import_tensorflow_quietly\n"
        "import_tensorflow_quietly()\n"
        "import sys; print('tensorflow' in sys.modules)\n"
    )
    result = run_snippet(code, env=BARE)
    assert result.returncode == 0 and result.stdout == "True\n"
    assert "absl::InitializeLog" not in result.stderr
    assert "oneDNN" not in result.stderr and "cuda drivers" not in result.stderr


def test_tensorflow_lines_filter_keeps_other_lines():
    from cxrzoo.cli import TF_START_UP_LINE

    assert TF_START_UP_LINE.match(
        "I0000 00:00:1796303593.264262   28216 port.cc:153] oneDNN custom operations are on."
    )
    assert TF_START_UP_LINE.match(
        "WARNING: All log messages before absl::InitializeLog() is called"
    )
    assert not TF_START_UP_LINE.match("E0000 00:00:1.2   28216 cuda.cc:52] a real error")
    assert not TF_START_UP_LINE.match("UserWarning: something else")
