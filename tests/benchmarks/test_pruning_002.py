"""``benchmarks/pruning_002.py --report``: the page's results rebuilt from the saved JSON."""

import shutil
from pathlib import Path

from benchmarks import pruning_002

STATIC = Path(__file__).resolve().parents[2] / "docs" / "_static"


def test_report_rebuilds_the_saved_results_text(tmp_path, pneumoniamnist_path, capsys):
    shutil.copy(STATIC / "pruning_002_results.json", tmp_path)
    argv = ["--report", "--data", str(pneumoniamnist_path), "--out", str(tmp_path)]
    assert pruning_002.main(argv) == 0
    text = (tmp_path / "pruning_002_results.txt").read_text()
    assert text == (STATIC / "pruning_002_results.txt").read_text()
    assert (tmp_path / "pruning_002.png").stat().st_size > 10_000
    assert "0.900 of the prunable kernels, 0.897 of all weights" in capsys.readouterr().out


def test_report_without_data_says_so(tmp_path, capsys):
    argv = ["--report", "--data", str(tmp_path / "absent.npz"), "--out", str(tmp_path)]
    assert pruning_002.main(argv) == 0
    assert "skipped" in capsys.readouterr().out
