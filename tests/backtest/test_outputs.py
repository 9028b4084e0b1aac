"""The backtest's CSV files: every cell a spreadsheet would run as a formula is escaped."""

from __future__ import annotations

import csv
import io

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
