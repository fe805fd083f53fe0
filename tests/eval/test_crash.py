"""A save killed (SIGKILL, as ``kill -9``) at every step of its replacement, then rerun.

The child process kills itself through the test hook of :func:`cxreval._io.crash_point`
(``CXREVAL_IO_CRASH_AFTER=k``: SIGKILL at the k-th step of a journalled replacement). After
the kill, the next look at the folder must leave exactly the old report (a kill before the
point of no return) or exactly the new one (after it), never a mix, and no temporary,
backup or journal; a rerun then saves the new report and loses nothing.
"""

import pickle
import signal
from pathlib import Path

import numpy as np
import pytest
from tests._helpers import binary_scores, run_snippet

import cxreval
from cxreval._io import JOURNAL_PREPARE, recover_replacement, replace_together
from cxreval.cli import main
from cxreval.report import REPORT_FILES
from cxreval.report.store import report_contents

#: The steps of replacing a report of k files over an old one: the journal, k new
#: files, k backups, the point of no return, k renames, k backups removed, the journal
#: removed.
STEPS = 4 * len(REPORT_FILES) + 3
COMMIT_STEP = 2 * len(REPORT_FILES) + 2

#: Files a user (or an older version) left in the folder; never touched.
STRAYS = {
    "predictions.csv": b"y,p\n",
    ".report.json.deadbeef.tmp": b"not ours: no journal names it",
    ".report.txt.0123abcd.old": b"an old version's backup",
    ".cxreval-replace.notes": b"a user's file",
}

SAVE = """
import pickle, sys
from pathlib import Path
from cxreval.report import Report
report = pickle.loads(Path(sys.argv[1]).read_bytes())
page = Path(sys.argv[3]).read_text(encoding="utf-8")
Report.to_html = lambda self, decimals=3: page  # drawn once by the test: keeps each child quick
report.save(sys.argv[2], force=True)
"""


def _contents(folder: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in folder.iterdir()}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The old and the new report (pickled, with their HTML drawn once)."""
    base = tmp_path_factory.mktemp("reports")
    y, s = binary_scores(80, seed=3)
    p = 1 / (1 + np.exp(-s))
    files = {}
    for which, threshold in (("old", 0.5), ("new", 0.7)):
        report = cxreval.evaluate(y, p, threshold=threshold, name=which)
        (base / f"{which}.pkl").write_bytes(pickle.dumps(report))
        contents = report_contents(report)
        (base / f"{which}.html").write_text(contents["report.html"], encoding="utf-8")
        files[which] = {name: text.encode() for name, text in contents.items()}
    return base, files


def _old_report_in(folder: Path, files: dict) -> None:
    folder.mkdir()
    for name, data in {**STRAYS, **files["old"]}.items():
        (folder / name).write_bytes(data)


@pytest.mark.parametrize("step", range(1, STEPS + 2))
def test_a_report_save_killed_at_every_step(reports, tmp_path, step):
    base, files = reports
    out = tmp_path / "report"
    _old_report_in(out, files)
    done = run_snippet(
        SAVE, str(base / "new.pkl"), str(out), str(base / "new.html"),
        env={"CXREVAL_IO_CRASH_AFTER": str(step)},
    )  # fmt: skip
    if step > STEPS:  # past the last step: the save finished and nothing was pending
        assert done.returncode == 0, done.stderr
        assert recover_replacement(out) is None
        assert _contents(out) == {**STRAYS, **files["new"]}
        return
    assert done.returncode == -signal.SIGKILL, done.stderr
    # the next look at the folder repairs it: exactly the old or exactly the new report
    message = recover_replacement(out)
    expected = "old" if step < COMMIT_STEP else "new"
    assert _contents(out) == {**STRAYS, **files[expected]}
    if step < STEPS:  # at the last step only the (empty) end of the journal was left
        assert message is not None and "report.txt, report.json, report.html" in message
    # a rerun saves the new report; the user's files and the strays are as they were
    new = pickle.loads((base / "new.pkl").read_bytes())
    new.save(out, force=True)
    assert _contents(out) == {**STRAYS, **files["new"]}


@pytest.mark.parametrize("step", [3, COMMIT_STEP + 2])
def test_cxreval_report_killed_then_rerun(tmp_path, step, capsys):
    y, s = binary_scores(60, seed=4)
    csv = tmp_path / "predictions.csv"
    rows = [f"{a},{1 / (1 + np.exp(-b)):.6f}\n" for a, b in zip(y, s, strict=True)]
    csv.write_text("y,p\n" + "".join(rows))
    out = tmp_path / "out"
    args = ["report", str(csv), "--label-col", "y", "--score-col", "p", "--out", str(out)]
    assert main(args) == 0
    old = _contents(out)
    command = "import sys; from cxreval.cli import main; sys.exit(main(sys.argv[1:]))"
    done = run_snippet(
        command, *args, "--force", "--threshold", "0.7",
        env={"CXREVAL_IO_CRASH_AFTER": str(step), "MPLBACKEND": "Agg"},
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL
    capsys.readouterr()
    assert main([*args, "--force", "--threshold", "0.7"]) == 0
    err = capsys.readouterr().err
    state = "undid" if step < COMMIT_STEP else "completed"
    assert f"cxreval: note: an earlier save was interrupted: {state} the interrupted" in err
    new = _contents(out)
    assert sorted(new) == sorted(REPORT_FILES) and new != old
    assert "threshold 0.7" in new["report.txt"].decode()


def test_recovery_touches_only_what_its_journal_names(tmp_path):
    (tmp_path / "a.txt").write_text("old a")
    (tmp_path / ".a.txt.0badc0de.tmp").write_text("someone else's")
    # a journal cut short while it was being written: nothing else had been done yet
    (tmp_path / JOURNAL_PREPARE).write_text('{"writer": "cxreval._io.replace_tog')
    assert recover_replacement(tmp_path) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == [".a.txt.0badc0de.tmp", "a.txt"]
    replace_together(
        tmp_path,
        {"a.txt": "new a", "sub/b.bin": b"\x00b", "c.txt": lambda path: path.write_text("c")},
    )
    assert (tmp_path / "a.txt").read_text() == "new a"
    assert (tmp_path / "sub" / "b.bin").read_bytes() == b"\x00b"
    assert (tmp_path / "c.txt").read_text() == "c"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".a.txt.0badc0de.tmp", "a.txt", "c.txt", "sub"
    ]  # fmt: skip


def test_a_writer_never_replaces_its_input(tmp_path):
    (tmp_path / "report.json").write_text("y,p\n0,0.1\n1,0.9\n")
    (tmp_path / "data.csv").hardlink_to(tmp_path / "report.json")
    for given in (tmp_path / "report.json", tmp_path / "data.csv"):
        with pytest.raises(ValueError, match="would replace the input "):
            replace_together(tmp_path, {"report.json": "{}"}, inputs=[given])
    assert (tmp_path / "report.json").read_text() == "y,p\n0,0.1\n1,0.9\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "report.json"]
