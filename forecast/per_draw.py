"""The forecast's quantities per posterior draw, as an xarray Dataset for ``posterior.nc``.

``forecast.json`` keeps summaries (a mean and an 80% interval); ``posterior.nc`` keeps the
draws, so the headline's distribution can be summarised, plotted or compared directly (e.g.
``arviz_stats.summary(tree["forecast"])``). Its group ``forecast`` holds, on the posterior's
``chain`` and ``draw`` dimensions:

* ``p_by_end``: P(next summit by the horizon's end);
* ``p_window`` (``window``): P(next summit inside each scenario window);
* ``p_month`` (``month``): P(next summit in each calendar month of the horizon);
* ``venue_share`` (``venue``): the venue of the next summit, if it falls within the horizon;
* ``hazard_total``, ``baseline_per_year``, ``exposure_years`` and ``multiplier`` (``term``):
  the decomposition of the horizon's hazard (:mod:`forecast.decompose`).

Windows carry their ``window_start`` and ``window_end`` dates as coordinates, so two runs'
windows can be matched by their dates rather than their names.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import xarray as xr

from forecast.decompose import Decomposition
from forecast.design.prepare import ModelData


def quantities(
    data: ModelData,
    surv: np.ndarray,
    venue_total: np.ndarray,
    dec: Decomposition,
    chains: int,
) -> xr.Dataset:
    """The per-draw quantities from the mixed survival ``surv`` (D, T+1), the venue density
    summed over the horizon ``venue_total`` (D, J) (:func:`forecast.predict.mixture_sums`) and
    the decomposition, reshaped to ``(chain, draw)`` (chain-major, as
    :class:`~forecast.predict.Draws` flattens them)."""
    n = surv.shape[0]
    if n % chains:
        raise ValueError(f"{n} draws do not split into {chains} chains")
    per = n // chains
    dates = [date.fromisoformat(str(d)) for d in data.horizon_dates]
    first = dates[0]

    def cd(values: np.ndarray) -> np.ndarray:
        return values.reshape(chains, per, *values.shape[1:])

    sc = data.scenario
    windows = []
    for w in sc.windows:
        lo, hi = (w.start - first).days, (w.end - first).days
        windows.append(surv[:, lo] - surv[:, hi + 1])
    months, month_p = [], []
    for key in sorted({(d.year, d.month) for d in dates}):
        idx = [t for t, d in enumerate(dates) if (d.year, d.month) == key]
        months.append(f"{key[0]:04d}-{key[1]:02d}")
        month_p.append(surv[:, idx[0]] - surv[:, idx[-1] + 1])
    share = venue_total / np.maximum(venue_total.sum(axis=1), 1e-300)[:, None]
    cw = ("chain", "draw")
    return xr.Dataset(
        {
            "p_by_end": (cw, cd(1.0 - surv[:, -1])),
            "p_window": ((*cw, "window"), cd(np.column_stack(windows))),
            "p_month": ((*cw, "month"), cd(np.column_stack(month_p))),
            "venue_share": ((*cw, "venue"), cd(share)),
            "hazard_total": (cw, cd(dec.total)),
            "baseline_per_year": (cw, cd(dec.baseline_per_year)),
            "exposure_years": (cw, cd(dec.exposure_years)),
            "multiplier": ((*cw, "term"), cd(dec.multipliers)),
        },
        coords={
            "chain": np.arange(chains),
            "draw": np.arange(per),
            "window": [w.name for w in sc.windows],
            "window_start": ("window", [w.start.isoformat() for w in sc.windows]),
            "window_end": ("window", [w.end.isoformat() for w in sc.windows]),
            "month": months,
            "venue": list(data.dyad.venue_ids),
            "term": list(dec.names),
        },
        attrs={"description": "per-draw forecast quantities (see forecast.per_draw)"},
    )
