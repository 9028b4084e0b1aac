"""analysis.psis: Pareto-smoothed importance sampling, against arviz-stats."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.analysis.psis import psis_log_weights


def test_psis_matches_arviz_stats():
    from arviz_stats.base import array_stats

    rng = np.random.default_rng(3)
    for scale in (0.3, 1.0, 2.5):
        log_ratio = scale * rng.standard_t(4, size=3000)
        ours, k = psis_log_weights(log_ratio)
        ref, k_ref = array_stats.psislw(-log_ratio)  # its input is minus the log ratio
        np.testing.assert_allclose(ours, ref, atol=1e-12)
        assert k == pytest.approx(float(k_ref))
