"""report.estimative: the ICD 203 and PHIA yardsticks at their documented boundaries, and the
printed percentages they are applied to."""

from __future__ import annotations

import pytest

from forecast.report.estimative import phrase, printed_percent

ICD = [
    (0.0, "almost no chance"),
    (0.01, "almost no chance"),
    (0.044, "almost no chance"),
    (0.05, "very unlikely"),
    (0.0449, "almost no chance"),  # prints as 4%
    (0.0451, "very unlikely"),  # prints as 5%
    (0.19, "very unlikely"),
    (0.20, "unlikely"),
    (0.44, "unlikely"),
    (0.45, "roughly even chance"),
    (0.50, "roughly even chance"),
    (0.55, "roughly even chance"),
    (0.56, "likely"),
    (0.80, "likely"),
    (0.81, "very likely"),
    (0.95, "very likely"),
    (0.96, "almost certain"),
    (1.0, "almost certain"),
]

PHIA = [
    (0.0, "remote chance"),
    (0.05, "remote chance"),
    (0.10, "highly unlikely"),
    (0.20, "highly unlikely"),
    (0.25, "unlikely"),
    (0.35, "unlikely"),
    (0.40, "realistic possibility"),
    (0.50, "realistic possibility"),
    (0.55, "likely or probably"),
    (0.75, "likely or probably"),
    (0.80, "highly likely"),
    (0.90, "highly likely"),
    (0.95, "almost certain"),
    (1.0, "almost certain"),
]

GAPS = [
    (0.06, "remote chance", "highly unlikely"),
    (0.094, "remote chance", "highly unlikely"),
    (0.21, "highly unlikely", "unlikely"),
    (0.37, "unlikely", "realistic possibility"),
    (0.52, "realistic possibility", "likely or probably"),
    (0.78, "likely or probably", "highly likely"),
    (0.93, "highly likely", "almost certain"),
]


@pytest.mark.parametrize(("p", "expected"), ICD)
def test_icd203_boundaries_follow_the_documented_table(p, expected):
    assert phrase(p, "icd203").text == expected
    assert not phrase(p, "icd203").gap


@pytest.mark.parametrize(("p", "expected"), PHIA)
def test_phia_bands_are_closed_intervals(p, expected):
    assert phrase(p, "phia").text == expected


@pytest.mark.parametrize(("p", "below", "above"), GAPS)
def test_phia_gaps_are_said_as_such(p, below, above):
    got = phrase(p, "phia")
    assert got.gap
    assert got.text == f"between '{below}' and '{above}' (a gap in the PHIA yardstick)"


def test_printed_percent_rounds_half_up_and_rejects_non_probabilities():
    assert printed_percent(0.125) == 13
    assert printed_percent(0.445) == 45
    assert printed_percent(0.0049) == 0
    with pytest.raises(ValueError):
        printed_percent(1.2)
    with pytest.raises(ValueError):
        phrase(0.3, "sherman-kent")
