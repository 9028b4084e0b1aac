"""config.update: rolling a scenario forward, each change said in words."""

from __future__ import annotations

from datetime import date

import pytest

from forecast.config.scenario import parse_scenario
from forecast.config.update import news_items, roll_forward
from forecast.config.yaml_loader import load_yaml
from forecast.errors import InputError


def test_past_windows_are_dropped_and_begun_ones_trimmed(before):
    new, changes = roll_forward(before, date(2026, 6, 1))
    assert new["as_of"] == "2026-06-01"
    names = [w["name"] for w in new["windows"]]
    assert "spring 2026 (Mar – May)" not in names
    whole = next(w for w in new["windows"] if w["name"].startswith("by Defender"))
    assert whole["start"] == "2026-06-02"
    june = next(w for w in new["windows"] if w["name"].startswith("treaty anniversary"))
    assert str(june["start"]) == "2026-06-05"  # not begun: unchanged
    assert changes == [
        "as_of: 2026-02-26 → 2026-06-01",
        "window 'spring 2026 (Mar – May)' dropped (it ended 2026-05-31)",
        "window 'by Defender of the Fatherland Day 2027' trimmed: starts 2026-06-02 instead of "
        "2026-02-27",
    ]
    sc = parse_scenario(new, "rolled.yaml")  # still a valid scenario
    assert sc.as_of == date(2026, 6, 1) and before["as_of"] != new["as_of"]  # input untouched


def test_a_ceasefire_already_in_effect_stays_in_effect(scenarios_dir):
    after = load_yaml(scenarios_dir / "after-ceasefire.yaml")
    new, changes = roll_forward(after, date(2026, 6, 1))
    assert new["ceasefire"]["start"] == "2026-06-02"
    assert any(c.startswith("ceasefire: in effect from 2026-06-02") for c in changes)


def test_an_uncertain_ceasefire_already_past_must_be_restated(scenarios_dir):
    unc = load_yaml(scenarios_dir / "uncertain-ceasefire.yaml")
    assert roll_forward(unc, date(2026, 6, 1))[0]["ceasefire"] == unc["ceasefire"]
    with pytest.raises(InputError, match="restate the assumption"):
        roll_forward(unc, date(2027, 1, 15))


def test_news_is_appended(before, tmp_path):
    f = tmp_path / "events.yaml"
    f.write_text(
        "- kind: exchange\n  start: 2026-04-10\n  person: A Minister\n  role: foreign minister\n"
        "  rank: M1\n  direction: to_north_korea\n  source: https://example.org/a\n",
        encoding="utf-8",
    )
    events = news_items(f, "events")
    new, changes = roll_forward(before, date(2026, 6, 1), events=events)
    assert new["events"][-1]["person"] == "A Minister" and "events: 1 added" in changes


@pytest.mark.parametrize(
    ("as_of", "field", "expected"),
    [
        (date(2026, 1, 1), "--as-of", "expected a date after the run's as_of 2026-02-26"),
        (date(2027, 3, 1), "--as-of", "expected a date before the horizon's end 2027-02-28"),
        (date(2027, 2, 25), "windows", "every window ends on or before 2027-02-25"),
    ],
)
def test_impossible_rolls_are_one_line_errors(before, as_of, field, expected):
    with pytest.raises(InputError) as err:
        roll_forward(before, as_of, source="s.yaml")
    assert err.value.field == field and expected in err.value.message


def test_a_news_file_must_hold_entries(tmp_path):
    f = tmp_path / "n.yaml"
    f.write_text("just text\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected a list of events"):
        news_items(f, "events")
