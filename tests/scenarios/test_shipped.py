"""The shipped ceasefire scenarios differ only in what they assume about the war."""

from __future__ import annotations

from forecast.config.yaml_loader import load_yaml


def test_the_three_ceasefire_scenarios_differ_only_in_the_ceasefire_block(scenarios_dir):
    """So that compare fits them once and their differences are the assumption's alone."""
    names = ("before-ceasefire", "after-ceasefire", "uncertain-ceasefire")
    raw = {n: load_yaml(scenarios_dir / f"{n}.yaml") for n in names}
    rest = {
        n: {k: v for k, v in r.items() if k not in ("name", "question", "ceasefire")}
        for n, r in raw.items()
    }
    assert rest["after-ceasefire"] == rest["before-ceasefire"]
    assert rest["uncertain-ceasefire"] == rest["before-ceasefire"]
    assert [raw[n]["ceasefire"]["assumption"] for n in names] == [
        "war_continues",
        "ceasefire",
        "uncertain",
    ]
