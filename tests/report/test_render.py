"""report.render, the PDF report: what it prints equals forecast.json, every scenario renders,
no sampling."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from forecast.errors import InputError
from forecast.report.render import render_run

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))  # the parametrize list; else a fixture


def printed(p: float) -> str:
    """Independent of the report code: a whole percentage, rounded half up."""
    whole = _whole(p)
    if whole == 0 and p > 0:
        return "<1%"
    return f"{whole}%"


def _whole(p: float) -> int:
    return int(Decimal(str(100 * p)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def printed_interval(lo: float, hi: float) -> str:
    """As docs/report.md states it: "0–8%" when the lower end rounds to 0, "all below 1%"
    when the upper end does."""
    if _whole(hi) == 0:
        return "all below 1%" if hi > 0 else "0–0%"
    low = "0" if _whole(lo) == 0 else printed(lo).rstrip("%")
    return f"{low}–{printed(hi)}"


def day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {d:%b %Y}"


@pytest.mark.slow
def test_forecast_run_writes_the_report(real_run_dir):
    assert (real_run_dir / "report.pdf").read_bytes()[:5] == b"%PDF-"


def test_printed_numbers_equal_forecast_json(june_report):
    pdf, doc, text = june_report
    assert pdf.name == "report.pdf"
    end = doc["headline"]["by_horizon_end"]
    assert (
        f"Next summit by {day(doc['horizon_end'])} {printed(end['p'])} "
        f"{printed_interval(end['lo'], end['hi'])}" in text
    )
    first = doc["headline"]["first_window"]
    assert f"{printed(first['p'])} {printed_interval(first['lo'], first['hi'])}" in text
    for w in doc["windows"]:
        row = f"{printed(w['p'])} {printed_interval(w['lo'], w['hi'])}"
        assert re.search(re.escape(w["name"]) + r" [^%]*? " + re.escape(row), text), w["name"]
    top = max(doc["venues"], key=lambda v: v["p"])
    assert (
        f"Likeliest venue, if they meet within the horizon {printed(top['p'])} "
        f"{printed_interval(top['lo'], top['hi'])} {doc['dyad']['venue_labels'][top['venue']]}"
        in text
    )


def test_report_has_every_section_in_order_and_a_stamped_footer(june_report):
    pdf, doc, text = june_report
    sections = [
        "Bottom line up front",
        "When: the probability of a summit over the horizon",
        "When: the probability by month",
        "Where: the venue of the next summit",
        "Indicators: what the analysts said, what the data did",
        "Data: the record the model used",
        "Diagnostics: how well the sampler behaved",
        "Track record",
        "Method in brief",
    ]
    at = [text.index(s) for s in sections]
    assert at == sorted(at)
    from pypdf import PdfReader

    pages = PdfReader(pdf).pages
    stamp = doc["stamp"]
    for page in pages:
        page_text = page.extract_text()
        assert f"Summit Forecast {stamp['version']}" in page_text
        assert stamp["scenario_sha256"] in page_text
        assert stamp["data_sha256"] in page_text
    assert "ICD 203" in text
    assert "python -m forecast backtest" in text  # no backtest beside the run: say how
    # figures are vector graphics whose labels stay text
    assert all(not page.images for page in pages)
    assert "P(venue | next summit within the horizon)" in text
    assert "multiplier (log scale; 1× = no effect)" in text


def test_indicators_show_who_stated_them_and_the_leave_one_out_shift(june_report):
    _, doc, text = june_report
    assert "South Korean government officials" in text
    assert "treaty_anniversary" in text
    anniversary = next(e for e in doc["effects"] if e["name"] == "occasion:treaty_anniversary")
    assert f"{anniversary['stated_range'][0]:g}–{anniversary['stated_range'][1]:g}×" in text
    assert "coefficient set to 0 in every draw" in text
    assert "Pareto k = " in text


def test_sampling_problems_are_highlighted(june_report):
    _, doc, text = june_report
    assert doc["diagnostics"]["problems"]  # 2 chains x 100 draws
    assert "Sampling problems:" in text
    assert "PROBLEM" in text
    assert doc["diagnostics"]["problems"][0] in text


def test_data_section_lists_summits_with_sources(june_report):
    _, _, text = june_report
    assert "Vostochny Cosmodrome" in text
    assert "1 Jan 2012 to 26 Feb 2026" in text


@pytest.mark.slow  # heavy (no sampling): in CI with the slow tier
@pytest.mark.parametrize("name", [p.stem for p in SHIPPED])
def test_every_shipped_scenario_renders(fake_runs, name, pdf_text):
    run = fake_runs[name]
    pdf = render_run(run, run / "report-phia.pdf", scale="phia")
    text = pdf_text(pdf)
    doc = json.loads((run / "forecast.json").read_text(encoding="utf-8"))
    assert doc["question"].split()[0] in text
    assert "PHIA probability yardstick" in text
    assert "No sampling problem was detected" in text
    assert "Sampling problems:" not in text
    end = doc["headline"]["by_horizon_end"]
    assert f"{printed(end['p'])} {printed_interval(end['lo'], end['hi'])}" in text


@pytest.mark.slow
def test_track_record_from_the_conventional_place(fake_runs, tmp_path, backtest_doc, pdf_text):
    run = tmp_path / "reports" / "before-ceasefire"
    shutil.copytree(fake_runs["before-ceasefire"], run)
    backtest = tmp_path / "reports" / "backtest"
    backtest.mkdir()
    (backtest / "backtest.json").write_text(json.dumps(backtest_doc), encoding="utf-8")
    (backtest / "reliability.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
        '<rect x="10" y="10" width="80" height="40" fill="none" stroke="black"/>'
        '<text x="20" y="80" font-family="DejaVu Sans" font-size="10">reliability</text></svg>',
        encoding="utf-8",
    )
    text = pdf_text(render_run(run))
    assert "Backtest of 140 forecast origins" in text
    assert "0.041 (0.020 to 0.090)" in text
    assert "Kim in Russia by Defender of the Fatherland Day" in text
    assert "Reliability of the backtest forecasts" in text
    assert "a different dataset version" in text  # the fixture's stamp is not this dataset's


def test_bad_inputs_are_one_line_errors_and_write_nothing(fake_runs, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(fake_runs["june-anniversary"], run)
    with pytest.raises(InputError, match="--backtest"):
        render_run(run, backtest=tmp_path / "nope.json")
    bad = tmp_path / "backtest.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="unreadable JSON"):
        render_run(run, backtest=bad)
    with pytest.raises(InputError, match="expected a .pdf file path"):
        render_run(run, tmp_path / "report.txt")
    assert not (run / "report.pdf").exists()


BLOCK_SAMPLERS = """
import importlib.abc, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"pymc", "pytensor", "nutpie", "numpyro", "jax"}:
            raise ImportError(f"{name} is blocked: the report must not sample")
        return None

sys.meta_path.insert(0, Block())
from forecast.cli.main import main
status = main(sys.argv[1:])
assert "pymc" not in sys.modules and "pytensor" not in sys.modules
sys.exit(status)
"""


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, MPLBACKEND="Agg")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return subprocess.run(
        [sys.executable, "-c", BLOCK_SAMPLERS, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.slow  # heavy (no sampling): in CI with the slow tier
def test_report_command_does_not_sample(fake_runs, tmp_path):
    out = tmp_path / "again.pdf"
    done = _cli("report", str(fake_runs["after-ceasefire"]), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:5] == b"%PDF-"
    assert done.stdout.strip() == f"Wrote {out}"


def test_report_command_bad_run_dir_is_exit_2(tmp_path):
    done = _cli("report", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {tmp_path / 'nowhere'}")
    assert "Traceback" not in done.stderr


@pytest.mark.slow  # heavy (no sampling): in CI with the slow tier
def test_an_as_of_after_the_coverage_end_carries_the_freshness_warning(
    tmp_path, fake_run, scenarios_dir, pdf_text
):
    from forecast.config.yaml_loader import load_yaml

    raw = load_yaml(scenarios_dir / "before-ceasefire.yaml")
    raw["as_of"] = "2026-04-01"
    raw["windows"] = [w for w in raw["windows"] if str(w["start"]) > "2026-04-01"]
    scenario = tmp_path / "late.yaml"
    scenario.write_text(json.dumps(raw, default=str), encoding="utf-8")  # JSON is YAML
    run = fake_run(scenario, tmp_path / "late")
    text = pdf_text(render_run(run))
    assert "Caution." in text
    assert "after the dataset's coverage end 2026-02-26" in text
    # said up front, and again in the Data section
    assert text.index("after the dataset's coverage end") < text.index("Data: the record")
    assert text.count("after the dataset's coverage end") >= 2


@pytest.mark.slow  # renders a second whole report: in CI with the slow tier
def test_a_scenario_without_statements_renders(tmp_path, fake_run, june_raw, pdf_text):
    raw = june_raw
    raw["indicators"] = []
    raw["venues"]["judgments"] = []
    scenario = tmp_path / "bare.yaml"
    scenario.write_text(json.dumps(raw, default=str), encoding="utf-8")
    text = pdf_text(render_run(fake_run(scenario, tmp_path / "bare")))
    assert "This scenario states no indicators or venue judgments" in text
    assert "Effects with documented default priors" in text


def test_an_unknown_scale_is_refused_before_any_work(tiny_run_dir, tmp_path, june_path):
    from forecast.errors import InputError
    from forecast.pipeline import run
    from forecast.report.render import render_run

    with pytest.raises(InputError, match="--scale: expected one of icd203, phia"):
        render_run(tiny_run_dir, tmp_path / "r.pdf", scale="cia")
    assert not (tmp_path / "r.pdf").exists()
    with pytest.raises(InputError, match="--scale"):
        run(june_path, tmp_path / "run", draws=30, tune=10, chains=1, scale="cia")
    assert not (tmp_path / "run").exists()


@pytest.mark.slow  # reads the whole PDF back: in CI with the slow tier
def test_text_copied_out_of_the_pdf_has_no_invisible_characters(june_report):
    """Long addresses still wrap, but at empty weak spaces, not zero-width space characters."""
    from pypdf import PdfReader

    pdf, _, _ = june_report
    raw = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "http" in raw
    invisible = {c for c in raw if c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"}
    assert not invisible, sorted(f"U+{ord(c):04X}" for c in invisible)


def test_page_one_says_what_drives_the_number(june_report):
    """The bottom line, the prose answer to "why this number?" and the decomposition figure
    are all on page 1."""
    from pypdf import PdfReader

    pdf, document, _ = june_report
    first = re.sub(r"\s+", " ", PdfReader(pdf).pages[0].extract_text())
    assert "What drives the number." in first
    assert "mostly because" in first or "close to a base rate" in first
    assert "multiplier of the hazard over the horizon" in first
