"""Backtest inputs: settings, origins, the template, the cases file and the CLI's errors.

All of it is checked before sampling, so none of these tests samples.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from forecast.backtest.evaluate import what_happened
from forecast.backtest.origins import (
    DEFAULT_CASES,
    DEFAULT_TEMPLATE,
    Template,
    case_settings,
    load_cases,
    load_template,
    make_settings,
    origins,
    refuse_range_with_cases,
    scenario_at,
)
from forecast.cli.main import main
from forecast.design.prepare import prepare
from forecast.errors import InputError


def test_default_settings_cover_2014_to_the_last_scoreable_origin(dataset):
    s = make_settings(dataset)
    days = origins(s)
    assert (s.start, s.end, s.windows) == (date(2014, 1, 1), date(2025, 8, 1), (90, 180))
    assert len(days) == 140 and days[0] == s.start and days[-1] == s.end
    assert days[-1] + timedelta(days=max(s.windows)) <= dataset.meta.coverage_end


def test_origins_steps_and_month_ends(dataset):
    s = make_settings(dataset, start="2024-01-31", end="2024-04-30", every="1M")
    assert origins(s) == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
    ]
    w = make_settings(dataset, start="2024-01-01", end="2024-01-29", every="2W")
    assert origins(w) == [date(2024, 1, 1), date(2024, 1, 15), date(2024, 1, 29)]


@pytest.mark.parametrize(
    ("options", "where", "expected"),
    [
        ({"start": "2014-13-01"}, "--start", "expected a date as YYYY-MM-DD"),
        ({"end": "yesterday"}, "--end", "expected a date as YYYY-MM-DD"),
        ({"start": "2020-01-01", "end": "2019-01-01"}, "--start", "on or before --end"),
        ({"end": "2025-12-01"}, "--end", "must end by the dataset's coverage end 2026-02-26"),
        ({"windows": "90,x"}, "--windows", "comma-separated whole numbers"),
        ({"windows": "0"}, "--windows", "between 1 and 1826"),
        ({"windows": "90,90"}, "--windows", "distinct"),
        ({"every": "1Y"}, "--every", "like 1M, 2W or 14D"),
        ({"start": "2011-06-01"}, "--start", "on or after the dataset's start 2012-01-01"),
    ],
)
def test_bad_settings_name_the_option(dataset, options, where, expected):
    with pytest.raises(InputError) as err:
        make_settings(dataset, **options)
    assert err.value.file == where
    assert expected in err.value.message


def test_end_limit_follows_the_longest_window(dataset):
    last = make_settings(dataset, windows="30", start="2026-01-27", end="2026-01-27")
    assert last.end == date(2026, 1, 27)
    with pytest.raises(InputError, match="2026-01-27"):
        make_settings(dataset, windows="30", end="2026-01-28")


def test_template_lists_sourced_statements_and_later_ones_are_ignored(dataset):
    tpl = load_template(DEFAULT_TEMPLATE, dataset)
    statements = tpl.body["indicators"] + tpl.body["venues"]["judgments"]
    assert statements and all(s["source"] and s["stated_on"] for s in statements)
    # sources name the outlet and the date (and the address where there is one), not a path
    assert all(re.search(r"\d{4}-\d{2}-\d{2}|http", s["source"]) for s in statements)
    assert not any("shared/" in s["source"] for s in statements)
    early = prepare(scenario_at(tpl, date(2024, 1, 1), date(2024, 6, 29), [90, 180]), dataset)
    late = prepare(scenario_at(tpl, date(2025, 6, 1), date(2025, 11, 28), [90, 180]), dataset)
    assert not any(n.startswith("occasion:") for n in early.history.names)
    assert early.venue_terms and all(t.prior.origin == "default" for t in early.venue_terms)
    assert "occasion:treaty_anniversary" in late.history.names
    assert early.scenario.windows[1].end == date(2024, 6, 29)


def test_template_refuses_keys_the_backtest_sets(dataset, tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text(DEFAULT_TEMPLATE.read_text() + "\nas_of: 2020-01-01\n")
    with pytest.raises(InputError, match="the backtest sets it for each origin"):
        load_template(bad, dataset)
    typo = tmp_path / "u.yaml"
    typo.write_text(DEFAULT_TEMPLATE.read_text().replace("indicators:", "indicator:"))
    with pytest.raises(InputError, match="did you mean 'indicators'"):
        load_template(typo, dataset)


def test_template_statements_are_validated_like_a_scenario(dataset, tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text(DEFAULT_TEMPLATE.read_text().replace("multiplier: [2, 6]", "multiplier: [6, 2]"))
    with pytest.raises(InputError) as err:
        load_template(bad, dataset)
    assert err.value.field.startswith("indicators -> ") and "low < high" in err.value.message


def test_shipped_seed_cases_and_what_happened(dataset):
    cases = load_cases(DEFAULT_CASES, dataset)
    assert [c.as_of.isoformat() for c in cases] == [
        "2024-06-17",
        "2024-11-21",
        "2024-12-05",
        "2025-05-12",
    ]
    assert all(c.analyst_call and re.search(r", \d{4}-\d{2}-\d{2}", c.source) for c in cases)
    assert not any("shared/" in c.source for c in cases)
    happened = [what_happened(dataset, c.as_of, c.horizon_end, c.venues) for c in cases]
    assert happened[0][0] is True and "s2024-pyongyang" in happened[0][1]
    for hit, words in happened[1:]:
        assert hit is False and "s2025-beijing" in words


def _cases(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cases.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("as_of,label\n2024-01-01,x\n", "header", "missing column 'horizon_end'"),
        (
            "as_of,horizon_end,lable\n2024-01-01,2024-02-01,x\n",
            "header, column 'lable'",
            "did you mean 'label'",
        ),
        (
            "as_of,horizon_end\n2024-01-01,2024-02-01\n2024-02-30,2024-03-01\n",
            "line 3, column as_of",
            "YYYY-MM-DD",
        ),
        ("as_of,horizon_end\n2024-01-01,2023-12-01\n", "line 2, column horizon_end", "after as_of"),
        (
            "as_of,horizon_end\n2025-12-01,2026-03-01\n",
            "line 2, column horizon_end",
            "coverage end",
        ),
        (
            "as_of,horizon_end,venue\n2024-01-01,2024-02-01,moscow\n",
            "line 2, column venue",
            "unknown venue",
        ),
        ("as_of,horizon_end\n2024-01-01,2024-02-01,extra\n", "line 2", "more fields"),
        ("as_of,horizon_end\n", None, "at least one case"),
    ],
)
def test_bad_cases_name_file_line_and_column(dataset, tmp_path, text, field, expected):
    path = _cases(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_cases(path, dataset)
    assert err.value.file == str(path)
    assert err.value.field == field
    assert expected in err.value.message


def test_missing_cases_file(dataset, tmp_path):
    with pytest.raises(InputError, match="cases file not found"):
        load_cases(tmp_path / "nope.csv", dataset)


@pytest.mark.parametrize(
    ("args", "starts"),
    [
        (["--start", "2014-13-01"], "error: --start: expected a date as YYYY-MM-DD"),
        (["--start", "2020-01-01", "--end", "2019-01-01"], "error: --start: expected a date on"),
        (["--end", "2026-01-01"], "error: --end: expected a date on or before 2025-08-30"),
        (["--windows", "90;180"], "error: --windows: expected comma-separated"),
        (["--draws", "many"], "error: python -m forecast backtest: argument --draws: expected a"),
        (["--chains", "0"], "error: python -m forecast backtest: argument --chains: expected --"),
        (["--chains", "17"], "error: python -m forecast backtest: argument --chains: expected --"),
        (["--cases", "no/such.csv"], "error: no/such.csv: cases file not found"),
        (["--cases", str(DEFAULT_CASES), "--start", "2020-01-01"], "error: --start: not allowed"),
        (["--end", "2024-01-01", "--cases", str(DEFAULT_CASES)], "error: --end: not allowed"),
        (["--cases", str(DEFAULT_CASES), "--every", "1M"], "error: --every: not allowed"),
        (["--windows", "90", "--cases", "no/such.csv"], "error: --windows: not allowed"),
    ],
)
def test_cli_errors_are_one_line_exit_2_nothing_written(tmp_path, capsys, args, starts):
    out = tmp_path / "bt"
    assert main(["backtest", *args, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1 and captured.err.startswith(starts)
    assert not out.exists()


@pytest.mark.slow  # heavy (no sampling): in CI with the slow tier
def test_cli_error_in_a_fresh_process_has_no_traceback(tmp_path, forecast_process):
    bad = _cases(tmp_path, "as_of,horizon_end\n2024-01-01,2024-13-01\n")
    proc = forecast_process(
        "backtest",
        "--cases",
        str(bad),
        "--out",
        str(tmp_path / "o"),
        timeout=120,
    )
    assert proc.returncode == 2
    where = f"error: {bad}: line 2, column horizon_end: "
    assert proc.stderr == where + "expected a date as YYYY-MM-DD (got '2024-13-01')\n"
    assert not (tmp_path / "o").exists()


def test_template_is_a_frozen_copy(dataset):
    tpl = load_template(DEFAULT_TEMPLATE, dataset)
    assert isinstance(tpl, Template) and len(tpl.sha256) == 64
    scenario_at(tpl, date(2020, 1, 1), date(2020, 7, 1), [90])
    assert "as_of" not in tpl.body  # building a scenario does not change the template


def test_range_options_with_cases_name_the_option_and_the_file(dataset, tmp_path):
    cases = _cases(tmp_path, "as_of,horizon_end\n2024-01-01,2024-02-01\n")
    with pytest.raises(InputError) as err:
        refuse_range_with_cases(cases, None, None, None, "90,180")
    assert err.value.file == "--windows"
    assert str(cases) in err.value.message and "expected either --cases or" in err.value.message
    refuse_range_with_cases(None, "2020-01-01", None, "1M", "90")  # no cases file: fine
    refuse_range_with_cases(cases, None, None, None, None)  # cases only: fine


def test_case_settings_span_the_rows(dataset, tmp_path):
    path = _cases(
        tmp_path,
        "as_of,horizon_end\n2024-05-01,2024-06-30\n2023-08-01,2023-09-30\n",
    )
    cases = load_cases(path, dataset)
    s = case_settings(cases, path, draws=50, seed=4)
    assert (s.start, s.end, s.every, s.windows) == (date(2023, 8, 1), date(2024, 5, 1), None, ())
    assert s.from_cases and s.cases_file == str(path) and (s.draws, s.seed) == (50, 4)
    assert [c.days for c in cases] == [60, 60]
    assert not make_settings(dataset).from_cases


@pytest.mark.parametrize("name", ["kim-trump", "kim-xi"])
def test_each_dyad_has_a_template_and_its_own_origins(name):
    from forecast.backtest.origins import default_cases, default_template, load_template
    from forecast.domain.record import load_dataset

    other = load_dataset(name)
    template = load_template(default_template(name), other)
    assert template.body["dataset"] == name
    assert default_cases(name) is None  # the seed articles' calls are about Kim and Putin
    settings = make_settings(other)
    # the first origin is the later of the default start and the dataset's own start
    assert settings.start == max(date(2014, 1, 1), other.meta.coverage_start)
    # an origin's scenario names its dataset and passes its cross-checks
    scenario = scenario_at(template, settings.start, settings.start + timedelta(days=90), [90])
    assert scenario.dataset == name
    assert prepare(scenario, other).dyad == other.dyad


def test_an_unknown_dataset_is_a_one_line_option_error(capsys):
    assert main(["backtest", "--dataset", "kim-trumpp"]) == 2
    err = capsys.readouterr().err
    assert err == "error: --dataset: unknown dataset 'kim-trumpp'; did you mean 'kim-trump'?\n"


@pytest.mark.slow
def test_a_backtest_of_another_dyad_runs_and_says_how_few_events(tmp_path):
    import json

    out = tmp_path / "bt"
    proc = subprocess.run(
        [sys.executable, "-m", "forecast", "backtest", "--dataset", "kim-xi", "--start",
         "2018-01-01", "--end", "2019-12-01", "--every", "2M", "--draws", "150", "--tune",
         "150", "--chains", "1", "--out", str(out)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((out / "backtest.json").read_text(encoding="utf-8"))
    assert doc["settings"]["dataset"] == "kim-xi"
    assert doc["n_origins"] == 12 and doc["cases"] == []
    assert doc["note"].startswith("Few events: the record holds 6 Kim–Xi summits")
    assert "Few events" in proc.stdout
