"""analysis.whatif: scenario changes edit plain data; a bad one fails before any sampling; a
what-if re-forecasts with the run's own settings (slow)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from forecast import workflow
from forecast.analysis import whatif
from forecast.errors import InputError
from forecast.io.document import read_document
from forecast.io.rundir import load_run


def test_scenario_changes_edit_plain_data(june, june_raw):
    pristine = copy.deepcopy(june_raw)
    raw = june_raw
    whatif.indicator_range("treaty_anniversary", (1, 3), confidence=0.6).apply(raw)
    item = next(i for i in raw["indicators"] if i["id"] == "treaty_anniversary")
    assert item["multiplier"] == [1, 3] and item["confidence"] == 0.6
    whatif.indicator_range("kim_to_russia", (1.2, 2)).apply(raw)  # a venue judgment
    assert raw["venues"]["judgments"][0]["multiplier"] == [1.2, 2]
    change = whatif.opposite_ceasefire(june)
    change.apply(raw)
    assert raw["ceasefire"] == {"assumption": "ceasefire", "start": "2025-05-13"}
    whatif.ceasefire("war_continues").apply(raw)
    assert raw["ceasefire"] == {"assumption": "war_continues"}
    doubted = whatif.doubt(june, "treaty_anniversary")
    assert doubted.description == "treaty_anniversary: multiplier 0.577–1.732, 80% sure"
    with pytest.raises(InputError, match="no indicator or venue judgment 'nope'"):
        whatif.indicator_range("nope", (1, 2)).apply(pristine)
    with pytest.raises(InputError, match="expected one of treaty_anniversary"):
        whatif.doubt(june, "nope")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            whatif.indicator_range("nope", (1, 2)),
            r"\(what-if: nope: multiplier 1–2\): indicators: no indicator or venue judgment",
        ),
        (
            whatif.indicator_range("treaty_anniversary", (3, 2)),
            r"indicators -> treaty_anniversary -> multiplier: "
            r"expected \[low, high\] with low < high",
        ),
        (whatif.ceasefire("ceasefire"), r"ceasefire: expected a 'start' date"),
    ],
)
def test_bad_what_if_fails_before_sampling_and_writes_nothing(
    tiny_run_dir, tmp_path, change, message
):
    run = load_run(tiny_run_dir)
    out = tmp_path / "out"
    with pytest.raises(InputError, match=message) as err:
        workflow.what_if(run, change, out_dir=out)
    assert str(run.scenario_path) in str(err.value)
    assert not out.exists()


@pytest.mark.slow
def test_what_if_reforecasts_with_the_same_settings(tiny_run_dir, tmp_path):
    run = load_run(tiny_run_dir)
    result = workflow.what_if(
        run, whatif.doubt(run.scenario, "treaty_anniversary"), out_dir=tmp_path
    )
    assert result.old is run.document and result.old_dir == run.path
    assert result.sampler == {k: getattr(run.document.sampler, k) for k in result.sampler}
    assert load_run(result.new_dir).document == result.new
    assert "what-if: treaty_anniversary" in (result.new_dir / "scenario.yaml").read_text()
    table = result.table()
    assert len(table) == 1 + len(run.document.windows) + 5
    first = run.document.windows[0]
    window = f"window: {first.name} ({first.start} .. {first.end})"
    # Doubting the anniversary effect lowers the anniversary window's probability.
    assert table.loc[window, "new p"] < table.loc[window, "old p"]
    assert table.loc[window, "change (points)"] == pytest.approx(
        100 * (table.loc[window, "new p"] - table.loc[window, "old p"])
    )
    from forecast.plots.explore import plot_what_if

    fig = plot_what_if(result)
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes[:1])
    assert fig.axes[1].get_xlabel()


def test_compare_documents_matches_windows_by_their_dates(tiny_run_dir):
    """Two windows with one name but other dates are not compared (n/a), and a window with the
    same dates under another name is."""
    old = read_document(tiny_run_dir / "forecast.json")
    data = old.to_dict()
    w0 = data["windows"][0]
    data["windows"][0] = {**w0, "name": "renamed", "p": w0["p"] / 2}
    data["headline"]["first_window"] = {
        "name": "renamed",
        "p": w0["p"] / 2,
        "lo": w0["lo"],
        "hi": w0["hi"],
    }
    if len(data["windows"]) > 1:
        w1 = data["windows"][1]
        data["windows"][1] = {**w1, "start": data["windows"][1]["end"]}
    table = whatif.compare_documents(old, data)
    first = old.windows[0]
    row = table.loc[f"window: {first.name} ({first.start} .. {first.end})"]
    assert row["new p"] == pytest.approx(first.p / 2)
    assert row["change (points)"] == pytest.approx(100 * (first.p / 2 - first.p))
    if len(old.windows) > 1:
        second = old.windows[1]
        moved = table.loc[f"window: {second.name} ({second.start} .. {second.end})"]
        assert moved["new"] == "n/a" and np.isnan(moved["change (points)"])
    assert table.loc[f"summit by {old.horizon_end}", "change (points)"] == 0
