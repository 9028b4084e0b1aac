"""The backtest's CSV files: every cell a spreadsheet would run as a formula is escaped."""

from __future__ import annotations

import csv
import io

import pytest

from forecast.backtest.outputs import cases_csv


def test_a_formula_in_a_case_label_is_escaped_in_cases_csv(backtest_doc):
    case = backtest_doc["cases"][0]
    case.update(
        label='=HYPERLINK("http://evil.example","click")',
        venue="any",
        p_any_venue={"p": 0.1},
        source="@SUM(A1:A9)",
        analyst_call="-2+3",
    )
    rows = list(csv.reader(io.StringIO(cases_csv(backtest_doc))))
    header, row = rows[0], rows[1]
    cell = dict(zip(header, row, strict=True))
    assert cell["label"] == '\'=HYPERLINK("http://evil.example","click")'
    assert cell["source"] == "'@SUM(A1:A9)"
    assert cell["analyst_call"] == "'-2+3"
    assert cell["p"] == "0.10000"  # numbers are left alone


def test_the_cases_fitted_with_the_signal_terms_are_written_and_summarised(backtest_doc):
    """Each case's second forecast, with the signal terms, goes into cases.csv and the
    summary with the two Brier scores computed by hand; a file without it (written before)
    leaves those cells empty and the scores out."""
    from forecast.backtest.outputs import case_briers, case_lines

    cases = backtest_doc["cases"]
    for c in cases:
        c.setdefault("p_any_venue", {"p": c["p"]})
        c.setdefault("source", "")
        c.setdefault("venue", "any")
    assert case_briers(cases) is None and not any("Brier" in x for x in case_lines(backtest_doc))
    rows = list(csv.DictReader(io.StringIO(cases_csv(backtest_doc))))
    assert rows[0]["p_signals"] == ""
    for c in cases:
        c["with_signals"] = {"p": 0.9 if c["outcome"] else 0.2, "lo": 0.1, "hi": 0.95}
        c["with_signals"]["p_any_venue"] = {"p": 0.9}
    hit = [float(c["outcome"]) for c in cases]
    plain = sum((c["p"] - h) ** 2 for c, h in zip(cases, hit, strict=True)) / len(cases)
    signals = sum((c["with_signals"]["p"] - h) ** 2 for c, h in zip(cases, hit, strict=True))
    signals /= len(cases)
    assert case_briers(cases) == pytest.approx((plain, signals), rel=1e-12)
    lines = case_lines(backtest_doc)
    assert lines[-1] == (
        f"  Brier score of the called events over the {len(cases)} cases: "
        f"{plain:.3f} without the signal terms, {signals:.3f} with them"
    )
    said = [line for line in lines if "; with the signal terms " in line]
    assert len(said) == len(cases)
    for c, line in zip(cases, said, strict=True):
        assert f"; with the signal terms {'90%' if c['outcome'] else '20%'} (10%–95%)" in line
    rows = list(csv.DictReader(io.StringIO(cases_csv(backtest_doc))))
    assert [float(r["p_signals"]) for r in rows] == [c["with_signals"]["p"] for c in cases]
