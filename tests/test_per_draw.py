"""per_draw: the forecast's quantities per posterior draw, kept in posterior.nc."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from forecast.io.document import read_document


def test_posterior_nc_holds_the_headline_distribution(tiny_run_dir):
    doc = read_document(tiny_run_dir / "forecast.json")
    tree = xr.open_datatree(tiny_run_dir / "posterior.nc", engine="h5netcdf")
    q = tree["forecast"].to_dataset()
    post = tree["posterior"].to_dataset()
    assert q.sizes["chain"] == post.sizes["chain"] and q.sizes["draw"] == post.sizes["draw"]
    end = doc.headline.by_horizon_end
    assert float(q["p_by_end"].mean()) == pytest.approx(end.p, rel=1e-12)
    lo, hi = np.quantile(q["p_by_end"].values.ravel(), (0.1, 0.9))
    assert (lo, hi) == pytest.approx((end.lo, end.hi), rel=1e-12)
    assert list(q["window"].values) == [w.name for w in doc.windows]
    assert list(q["window_start"].values) == [w.start.isoformat() for w in doc.windows]
    for i, w in enumerate(doc.windows):
        assert float(q["p_window"].isel(window=i).mean()) == pytest.approx(w.p, rel=1e-12)
    for v in doc.venues:
        assert float(q["venue_share"].sel(venue=v.venue).mean()) == pytest.approx(v.p, rel=1e-12)
    assert list(q["month"].values) == [m.month for m in doc.by_month]
    # the decomposition multiplies back to the total hazard, draw by draw
    product = q["baseline_per_year"] * q["multiplier"].prod("term") * q["exposure_years"]
    np.testing.assert_allclose(product.values, q["hazard_total"].values, rtol=1e-10)
    dec = doc.decomposition
    assert dec is not None and [t.name for t in dec.terms] == list(q["term"].values)
    assert float(q["hazard_total"].median()) == pytest.approx(dec.total_hazard.p50, rel=1e-12)
