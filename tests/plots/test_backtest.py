"""plots.backtest: the reliability table under the reliability diagram, by hand."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.plots.backtest import reliability_table


def test_reliability_table_by_hand():
    p = np.array([0.01, 0.02, 0.04, 0.15, 0.18, 0.6])
    y = np.array([0, 0, 1, 0, 1, 1])
    rows = reliability_table(p, y)
    assert [r["n"] for r in rows] == [3, 2, 1]
    assert [r["events"] for r in rows] == [1, 1, 1]
    assert rows[0]["mean_forecast"] == pytest.approx(0.07 / 3)
    assert rows[0]["observed"] == pytest.approx(1 / 3)
    assert rows[1]["bin"] == (0.1, 0.2)
    assert all(r["lo"] <= r["observed"] <= r["hi"] for r in rows)
