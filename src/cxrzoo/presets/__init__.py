"""The built-in presets, as data: :mod:`~cxrzoo.presets.reports` (the five source
reports' models), :mod:`~cxrzoo.presets.pneumoniamnist` (fitted by the benchmark) and
:mod:`~cxrzoo.presets.chexnet` (CheXNet, 14 NIH findings).

Nothing here registers anything: ``cxrzoo/__init__`` registers :data:`MODELS` in this
order once the registry is loaded, so the registry never imports preset data.
"""

from __future__ import annotations

from cxrzoo.presets import chexnet, pneumoniamnist, reports

__all__ = ["MODELS"]

#: Every built-in ``(preset, builder)``, in registration order.
MODELS = reports.MODELS + pneumoniamnist.MODELS + chexnet.MODELS
