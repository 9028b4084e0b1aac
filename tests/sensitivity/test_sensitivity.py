"""sensitivity: each prior moved to the ends of its range, the files and the report section."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import numpy as np
import pytest

from forecast.effects import effects
from forecast.sensitivity import Sensitivity, Swing, moved
from forecast.sensitivity.outputs import FILES, document, summary_text, write


def test_moving_one_prior_changes_that_prior_only(june_data):
    from forecast.model.build import prior_arrays

    before = prior_arrays(june_data)
    for e in effects(june_data):
        for end in ("low", "high"):
            after = prior_arrays(moved(june_data, e, end))
            changed = {k for k in before if not np.array_equal(before[k], after[k])}
            assert changed <= {f"{e.parameter}_mu"}, (e.name, changed)
            bound = e.prior.low if end == "low" else e.prior.high
            mu = after[f"{e.parameter}_mu"]
            value = mu if e.index(june_data) is None else mu[e.index(june_data)]
            assert float(value) * e.prior.scale == pytest.approx(np.log(bound))
            # the sd is kept: the same confidence about a shifted centre
            assert np.array_equal(before[f"{e.parameter}_sigma"], after[f"{e.parameter}_sigma"])


def test_the_claims_q_and_q_f_are_moved_on_the_log_odds_scale(data_as_of):
    from forecast.model.build import prior_arrays
    from forecast.sensitivity import announced_effect

    data = data_as_of("2024-06-17", "2024-06-20")
    kept, framed = announced_effect(data)
    before = prior_arrays(data)
    for e, ends in ((kept, (0.6, 0.97)), (framed, (0.2, 0.8))):
        for end, q in zip(("low", "high"), ends, strict=True):
            after = prior_arrays(moved(data, e, end))
            changed = {k for k in before if not np.array_equal(before[k], after[k])}
            assert changed == {f"{e.parameter}_mu"}
            assert float(after[f"{e.parameter}_mu"]) == pytest.approx(np.log(q / (1 - q)))
    assert announced_effect(replace(data, announce=None)) == []  # no signal terms: no q


def _result(data) -> Sensitivity:
    swings = [Swing(e, 0.30 + 0.01 * i, 0.40 + 0.02 * i) for i, e in enumerate(effects(data))]
    return Sensitivity(
        0.38,
        0.005,
        swings,
        33,
        11.0,
        20.0,
        {"draws": 500, "tune": 500, "chains": 2, "seed": 1, "backend": "nutpie"},
    )


def test_the_document_ranks_swings_and_flags_what_cannot_move_the_headline(june_data, tmp_path):
    doc = document(
        _result(june_data), june_data, {"scenario_sha256": "a" * 64, "data_sha256": "b" * 64}
    )
    swings = [r["swing"] for r in doc["rows"]]
    assert swings == sorted(swings, key=abs, reverse=True)
    flags = {r["effect"]: r["can_move_headline"] for r in doc["rows"]}
    assert flags["war"] and flags["border_closure"]  # in the record even if not on the horizon
    assert not flags["ceasefire"]  # zero everywhere while the war continues
    assert not any(v for k, v in flags.items() if k.startswith("venue:"))
    assert doc["fits_per_second"] == pytest.approx(3.0)
    text = summary_text(doc)
    assert "33 fits in 11.0 s after a 20.0 s compile: 3.00 fits per second" in text
    assert "swings within about ±1.0 points are noise" in text
    paths = write(doc, tmp_path / "s")
    assert sorted(p.name for p in paths.values()) == sorted(FILES)
    assert "<svg" in (tmp_path / "s" / "tornado.svg").read_text(encoding="utf-8")
    lines = (tmp_path / "s" / "sensitivity.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + len(doc["rows"])


def test_a_failed_write_leaves_the_previous_files(june_data, tmp_path, monkeypatch):
    """The three files are one unit: a failure on the last leaves the earlier run's set."""
    import forecast.io.staging as staging
    from forecast.io.safe_write import WriteFailed

    stamp = {"scenario_sha256": "a" * 64, "data_sha256": "b" * 64}
    write(document(_result(june_data), june_data, stamp), tmp_path / "s")
    before = {p.name: p.read_bytes() for p in (tmp_path / "s").iterdir()}
    real = staging.write_text

    def failing(path, text):
        if path.name == "tornado.svg":
            raise OSError(28, "No space left on device")
        return real(path, text)

    monkeypatch.setattr(staging, "write_text", failing)
    again = replace(_result(june_data), reference=0.5)
    with pytest.raises((WriteFailed, OSError)):
        write(document(again, june_data, stamp), tmp_path / "s")
    assert {p.name: p.read_bytes() for p in (tmp_path / "s").iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]  # no staging left behind


@pytest.mark.slow
def test_the_report_shows_the_tornado_when_one_is_beside_the_run(fake_runs, tmp_path, june_data):
    from pypdf import PdfReader

    from forecast.io.document import read_document
    from forecast.report.render import render_run

    run = tmp_path / "june-anniversary"
    shutil.copytree(fake_runs["june-anniversary"], run)
    stamp = read_document(run / "forecast.json").stamp
    doc = document(
        _result(june_data),
        june_data,
        {"scenario_sha256": stamp.scenario_sha256, "data_sha256": stamp.data_sha256},
    )
    write(doc, tmp_path / "june-anniversary-sensitivity")
    text = " ".join(p.extract_text() for p in PdfReader(render_run(run)).pages)
    assert "Sensitivity: the headline with each prior" in text
    # a result for another version of the scenario is not used
    from forecast.report.sensitivity import locate

    found = tmp_path / "june-anniversary-sensitivity" / "sensitivity.json"
    assert locate(run, read_document(run / "forecast.json")) == found
    stale = {**doc, "stamp": {**doc["stamp"], "scenario_sha256": "c" * 64}}
    found.write_text(json.dumps(stale), encoding="utf-8")
    assert locate(run, read_document(run / "forecast.json")) is None


def test_bad_sensitivity_input_is_one_line_exit_2(tmp_path, capsys):
    from forecast.cli.main import main

    assert main(["sensitivity", str(tmp_path / "nope.yaml")]) == 2
    err = capsys.readouterr().err.strip()
    assert "nope.yaml" in err and "\n" not in err
    assert main(["sensitivity", "june-anniversary", "--draws", "3"]) == 2
    assert "--draws" in capsys.readouterr().err


@pytest.mark.slow
def test_sensitivity_of_the_default_scenario_end_to_end(tmp_path, forecast_process):
    out = tmp_path / "s"
    proc = forecast_process(
        "sensitivity",
        "june-anniversary",
        "--out",
        str(out),
        "--draws",
        "200",
        "--tune",
        "200",
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    assert "fits per second" in proc.stdout
    doc = json.loads((out / "sensitivity.json").read_text(encoding="utf-8"))
    assert doc["fits"] == 1 + 2 * len(doc["rows"])
    war = next(r for r in doc["rows"] if r["effect"] == "war")
    assert war["p_high"] > war["p_low"]  # a stronger war effect, a likelier summit
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
