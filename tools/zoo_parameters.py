"""Count every zoo model's parameters for the docs' results table (needs TensorFlow).

Building all models takes a few minutes, too long for every docs build, so the counts are
kept in ``docs/zoo/parameters.json`` with a fingerprint of the architecture fields of each
preset (input shape, classes, backbone, head, preprocessing). The docs show a count only
while its fingerprint still matches; rerun this after changing a model::

    PYTHONPATH=src python tools/zoo_parameters.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
OUT = DOCS / "zoo" / "parameters.json"
sys.path.insert(0, str(DOCS / "_ext"))

from zoo_pages import fingerprint  # noqa: E402  (the docs check the same fingerprint)


def main(names: list[str]) -> None:
    import keras

    import cxrzoo

    counts = json.loads(OUT.read_text()) if OUT.is_file() else {}
    for name in names or cxrzoo.list_models():
        preset = cxrzoo.get_preset(name)
        model = cxrzoo.build(name)
        counts[preset.name] = {
            "parameters": model.count_params(),
            "fingerprint": fingerprint(preset),
        }
        print(preset.name, counts[preset.name]["parameters"], flush=True)
        del model
        keras.backend.clear_session()
    OUT.write_text(json.dumps(dict(sorted(counts.items())), indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
