"""The packaged dataset: what it holds, the record as known on a date, and bad rows."""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from forecast.domain.record import (
    DATA_FILES,
    available_datasets,
    data_sha256,
    dataset_dir,
    default_data_dir,
    load_dataset,
)
from forecast.errors import InputError

CSV_FILES = [name for name in DATA_FILES if name.endswith(".csv")]


# --------------------------------------------------------------------------- the packaged data


def test_packaged_dataset_loads(dataset):
    assert dataset.meta.name == "kim-putin"
    assert [x.id for x in dataset.dyad.leaders] == ["kim_jong_un", "putin"]
    assert dataset.known_as_of is None
    assert dataset.summits and dataset.exchanges and dataset.periods
    assert dataset.recurring and dataset.scheduled
    assert dataset.sha256 == data_sha256()


def test_coverage(dataset):
    assert dataset.meta.coverage_start == date(2012, 1, 1)
    assert dataset.meta.coverage_end == date(2026, 2, 26)


@pytest.mark.parametrize("name", CSV_FILES)
def test_every_row_has_a_source(name):
    with (default_data_dir() / name).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for row in rows:
        assert (row.get("source") or "").strip(), f"{name}: row {row['id']} has no source"


# A web address: http(s)://..., or a host name with a dot (www.example.org, tass.com/...) at the
# start of a word, not a file name (shared/seeds/004_x.txt is neither).
ADDRESS = re.compile(
    r"https?://[^\s/]+\.[^\s]+"
    r"|(?:^|[\s(;,])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?=[/\s,;)]|$)",
    re.IGNORECASE,
)
# Rows whose source is not an address, each documented in its dataset's README (row id and the
# outlet, title and date it cites instead). Anything else without an address fails below.
NOT_AN_ADDRESS = {
    ("kim-putin", "recurring.csv", "defender_day"): (
        'The Korea Times, "Kim-Putin camaraderie hinges on developments in Ukraine war" '
        "(Lee Hyo-jin), 2024-11-21"
    ),
}
ALL_CSV = [(name, csv_name) for name in available_datasets() for csv_name in CSV_FILES]


def test_the_address_pattern():
    for good in (
        "https://tass.com/world/1882445",
        "http://daidoanket.vn/print/10010192.html",
        "tass.com/economy/1837283",
        "scmp.com/…/article/3047109 (partial)",
        "a ; world.kbs.co.kr, Seq_Code=65682 (partial)",
    ):
        assert ADDRESS.search(good), good
    for bad in (
        "shared/seeds/004_25469fec3f3a9b38.txt",
        "the fact sheet",
        "seed 004",
        "https://",
        "see p. 3",
    ):
        assert not ADDRESS.search(bad), bad


def test_all_three_datasets_are_packaged():
    assert {"kim-putin", "kim-trump", "kim-xi"} <= set(available_datasets())


@pytest.mark.parametrize(("name", "csv_name"), ALL_CSV, ids=[f"{n}-{c}" for n, c in ALL_CSV])
def test_every_row_of_every_dataset_cites_an_address(name, csv_name):
    with (dataset_dir(name) / csv_name).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    missing = [
        row["id"]
        for row in rows
        if not ADDRESS.search(row.get("source") or "")
        and (name, csv_name, row["id"]) not in NOT_AN_ADDRESS
    ]
    assert missing == [], f"{name}/{csv_name}: rows without a source address: {missing}"


@pytest.mark.parametrize(("name", "csv_name", "row_id"), list(NOT_AN_ADDRESS))
def test_a_source_that_is_not_an_address_is_documented(name, csv_name, row_id):
    cited = NOT_AN_ADDRESS[name, csv_name, row_id]
    with (dataset_dir(name) / csv_name).open(encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["id"] == row_id)
    assert row["source"].strip() == cited  # the exception is this source, not any
    # it names the outlet, the article and its date, not a file
    assert re.search(r"\d{4}-\d{2}-\d{2}", cited) and not re.search(r"/|\.txt\b", cited)
    readme = (dataset_dir(name) / "README.md").read_text(encoding="utf-8")
    assert f"`{row_id}`" in readme and cited in readme


def test_every_loaded_row_has_a_source(dataset):
    tables = (dataset.summits, dataset.exchanges, dataset.periods, dataset.recurring)
    for row in (*[r for t in tables for r in t], *dataset.scheduled):
        assert row.source.strip()


def test_the_four_kim_jong_un_putin_summits(dataset):
    kim_putin = [(s.date, s.venue_class) for s in dataset.events]
    assert all((s.leader_a, s.leader_b) == ("kim_jong_un", "putin") for s in dataset.events)
    assert kim_putin == [
        (date(2019, 4, 25), "russian_far_east"),
        (date(2023, 9, 13), "russian_far_east"),
        (date(2024, 6, 19), "dprk"),
        (date(2025, 9, 3), "third_country"),
    ]


def test_kim_trump_dataset_loads():
    data = load_dataset("kim-trump")
    assert data.meta.name == "kim-trump"
    assert [x.id for x in data.dyad.leaders] == ["kim_jong_un", "trump"]
    assert [s.id for s in data.dyad.sides] == ["dprk", "usa"]
    assert data.dyad.home_venue == "dprk"
    assert [(s.date, s.venue_class) for s in data.events] == [
        (date(2018, 6, 12), "third_country"),
        (date(2019, 2, 27), "third_country"),
        (date(2019, 6, 30), "korean_dmz"),
    ]
    assert data.exchanges and data.periods
    assert data.periods_of("in_office")
    assert data.sha256 == data_sha256("kim-trump") == data_sha256(dataset_dir("kim-trump"))
    assert load_dataset(dataset_dir("kim-trump")) == data  # by name or by folder, the same


def test_kim_xi_dataset_loads():
    data = load_dataset("kim-xi")
    assert data.meta.name == "kim-xi"
    assert [x.id for x in data.dyad.leaders] == ["kim_jong_un", "xi_jinping"]
    assert [s.id for s in data.dyad.sides] == ["dprk", "china"]
    assert len(data.events) == 6  # the six Kim–Xi meetings, 2018-03 .. 2025-09
    assert data.events[0].date == date(2018, 3, 26)
    assert data.events[-1].date == date(2025, 9, 4)
    assert all(s.venue_class in data.dyad.venue_ids for s in data.summits)
    assert data.scheduled and "parade" in data.occasion_ids
    assert data.sha256 == data_sha256("kim-xi")
    assert load_dataset(dataset_dir("kim-xi")) == data


@pytest.mark.parametrize("name", available_datasets())
def test_every_packaged_dataset_is_consistent(name):
    data = load_dataset(name)
    assert data.meta.name == name  # the scenario's 'dataset:' is the folder's name
    assert data.known_as_of is None
    assert data.events
    end = data.meta.coverage_end
    assert all(s.date <= end for s in data.summits)
    assert [s.date for s in data.summits] == sorted(s.date for s in data.summits)
    for table in (data.summits, data.exchanges, data.periods, data.recurring, data.scheduled):
        ids = [row.id for row in table]
        assert len(ids) == len(set(ids))


def test_tables_are_sorted_and_ids_unique(dataset):
    assert [s.date for s in dataset.summits] == sorted(s.date for s in dataset.summits)
    assert [x.start for x in dataset.exchanges] == sorted(x.start for x in dataset.exchanges)
    for table in (dataset.summits, dataset.exchanges, dataset.periods, dataset.recurring):
        ids = [row.id for row in table]
        assert len(ids) == len(set(ids))


def test_occasion_ids(dataset):
    ids = dataset.occasion_ids
    assert "treaty_anniversary" in ids
    assert "eef" in ids  # the family of 'eef-2019' etc.
    assert not any(i.startswith("eef-") for i in ids)


def test_nothing_after_the_coverage_end(dataset):
    end = dataset.meta.coverage_end
    assert all(s.date <= end for s in dataset.summits)


# --------------------------------------------------------------------------- known_on


def test_known_on_drops_later_summits_and_exchanges(dataset):
    cut = date(2023, 9, 12)
    known = dataset.known_on(cut)
    assert known.known_as_of == cut
    assert known.summits == tuple(s for s in dataset.summits if s.date <= cut)
    assert all(s.date <= cut for s in known.summits)
    assert date(2023, 9, 13) not in [s.date for s in known.summits]
    assert all(x.end <= cut for x in known.exchanges)
    assert len(known.exchanges) < len(dataset.exchanges)
    # The summit day itself is known at the end of that day.
    assert date(2023, 9, 13) in [s.date for s in dataset.known_on(date(2023, 9, 13)).summits]


def test_known_on_counts_an_exchange_only_once_it_has_ended(dataset):
    multi_day = next(x for x in dataset.exchanges if x.end > x.start)
    ids = [x.id for x in dataset.known_on(multi_day.start).exchanges]
    assert multi_day.id not in ids
    assert multi_day.id in [x.id for x in dataset.known_on(multi_day.end).exchanges]


def test_known_on_reopens_periods_that_ended_later(dataset):
    assert dataset.period("border_closure").end == date(2023, 8, 25)
    during = dataset.known_on(date(2022, 1, 1))
    closure = during.period("border_closure")
    assert closure is not None
    assert closure.start == date(2020, 1, 22)
    assert closure.end is None  # on 2022-01-01 nobody knew when it would end
    after = dataset.known_on(date(2024, 1, 1))
    assert after.period("border_closure").end == date(2023, 8, 25)
    assert dataset.period("border_closure").end == date(2023, 8, 25)  # the original is untouched


def test_known_on_drops_periods_not_yet_started(dataset):
    known = dataset.known_on(date(2019, 1, 1))
    assert known.period("border_closure") is None
    assert known.period("war") is None
    assert known.period("treaty_in_force") is None


def test_known_on_keeps_scheduled_occasions_once_announced_or_begun(dataset):
    cut = date(2019, 1, 1)
    known = dataset.known_on(cut)
    assert all((s.announced_on or s.start) <= cut for s in known.scheduled)
    assert len(known.scheduled) < len(dataset.scheduled)


def test_known_on_keeps_recurring_dates_and_meta(dataset):
    known = dataset.known_on(date(2015, 1, 1))
    assert known.recurring == dataset.recurring
    assert known.meta == dataset.meta
    assert known.sha256 == dataset.sha256


# --------------------------------------------------------------------------- corrupted copies


def edit_row(path: Path, row_id: str, **changes: str) -> int:
    """Change fields of one row (keeping the rest byte for byte); return its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    for i, line in enumerate(lines):
        if line.startswith(f"{row_id},"):
            row = next(csv.reader([line]))
            for key, value in changes.items():
                row[header.index(key)] = value
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerow(row)
            lines[i] = out.getvalue()
            path.write_text("".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(f"no row {row_id} in {path}")


def line_of(path: Path, row_id: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if line.startswith(f"{row_id},"))


def load_error(data_dir: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_dataset(data_dir)
    err = info.value
    assert "\n" not in str(err)
    return err


def test_unchanged_copy_loads_with_the_same_hash(data_dir, dataset):
    copy = load_dataset(data_dir)
    assert copy.sha256 == dataset.sha256
    assert copy.summits == dataset.summits


# (file, row id, changes, field named in the error, phrase in the message)
BAD_ROWS = [
    ("summits.csv", "s2019-vladivostok", {"date": "2019-04-31"}, "date", "valid date"),
    ("summits.csv", "s2023-vostochny", {"venue_class": "Moon Base"}, "venue_class", "match"),
    ("summits.csv", "s2024-pyongyang", {"source": ""}, "source", "valid string"),
    ("summits.csv", "s2024-pyongyang", {"source": "x"}, "source", "at least 4 characters"),
    ("summits.csv", "s2025-beijing", {"travelled": "by air"}, "travelled", "match"),
    ("summits.csv", "s2025-beijing", {"multilateral": "maybe"}, "multilateral", "valid boolean"),
    ("summits.csv", "s2025-beijing", {"leader_a": "Kim Il Sung"}, "leader_a", "match"),
    ("exchanges.csv", "x2014-04-28-trutnev", {"rank": "M9"}, "rank", "'M1'"),
    ("exchanges.csv", "x2014-04-28-trutnev", {"direction": "sideways"}, "direction", "'^to_"),
    ("exchanges.csv", "x2014-04-28-trutnev", {"end": "2014-04-01"}, "row", "start <= end"),
    ("periods.csv", "war", {"state": "Peace"}, "state", "match"),
    ("periods.csv", "border_closure", {"end": "2019-01-01"}, "row", "start <= end"),
    ("periods.csv", "war", {"start": "2022-02-30"}, "start", "valid date"),
    ("recurring.csv", "victory_day", {"day": "30", "month": "2"}, "row", "day is out of range"),
    ("recurring.csv", "victory_day", {"month": "13"}, "month", "less than or equal to 12"),
    ("scheduled.csv", "eef-2016", {"venue_class": "Vladivostok!"}, "venue_class", "match"),
    ("scheduled.csv", "eef-2016", {"end": "2016-08-01"}, "row", "start <= end"),
    ("signals.csv", "2024-06-17-announcement", {"kind": "rumour"}, "kind", "'cancellation'"),
    ("signals.csv", "2024-06-17-announcement", {"window_end": ""}, "row", "window_end"),
    ("signals.csv", "2024-06-17-announcement", {"window_start": "2024-06-20"}, "row",
     "window_start <= window_end"),
    ("signals.csv", "2024-06-17-announcement", {"date": "2024-06-31"}, "date", "valid date"),
    ("signals.csv", "2015-04-30-cancellation", {"stance": "for"}, "row", "'against' or 'neutral'"),
    ("signals.csv", "2025-07-09-denial", {"stance": "sceptical"}, "stance", "'neutral'"),
    ("signals.csv", "2025-07-09-denial", {"uncertain": "perhaps"}, "uncertain", "valid boolean"),
    ("signals.csv", "2025-07-09-denial", {"source": ""}, "source", "valid string"),
    ("signals.csv", "2025-07-09-denial", {"date": "2026-03-01"}, "date", "coverage end"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "row_id", "changes", "column", "phrase"),
    [pytest.param(*case, id=f"{case[0]}-{'-'.join(case[2])}") for case in BAD_ROWS],
)
def test_bad_row(data_dir, name, row_id, changes, column, phrase):
    path = data_dir / name
    lineno = edit_row(path, row_id, **changes)
    err = load_error(data_dir)
    assert err.file == str(path)
    assert err.field == f"line {lineno} ({row_id}), {column}"
    assert phrase in err.message
    assert str(err).startswith(f"{path}: line {lineno} ")


# A well-formed value the dataset's dyad does not declare: refused after the rows are read, naming
# the file, the row id and the column, and listing what the dyad declares.
# (dataset, file, row id, changes, column, expected)
BAD_REFERENCES = [
    ("kim-putin", "summits.csv", "s2023-vostochny", {"venue_class": "moon"}, "venue_class",
     "expected one of dprk, russia_other, russian_capital, russian_far_east, third_country "
     "(got 'moon')"),
    ("kim-putin", "summits.csv", "s2025-beijing", {"travelled": "by_air"}, "travelled",
     "expected one of both, dprk, russia (got 'by_air')"),
    ("kim-putin", "summits.csv", "s2025-beijing", {"leader_a": "kim_il_sung"}, "leader_a",
     "expected one of kim_jong_il, kim_jong_un, medvedev (got 'kim_il_sung')"),
    ("kim-putin", "summits.csv", "s2024-pyongyang", {"leader_b": "xi_jinping"}, "leader_b",
     "expected one of kim_jong_il, medvedev, putin (got 'xi_jinping')"),
    # a declared leader on the wrong side: the row would silently not be an event
    ("kim-putin", "summits.csv", "s2024-pyongyang",
     {"leader_a": "putin", "leader_b": "kim_jong_un"}, "leader_a", "(got 'putin')"),
    ("kim-putin", "exchanges.csv", "x2014-04-28-trutnev", {"direction": "to_china"}, "direction",
     "expected one of to_dprk, to_russia (got 'to_china')"),
    ("kim-putin", "exchanges.csv", "x2014-02-06-kim-yong-nam", {"leader_met": "kim"}, "leader_met",
     "expected one of kim_jong_un, putin (got 'kim')"),
    ("kim-putin", "recurring.csv", "victory_day", {"country": "china"}, "country",
     "expected one of both, dprk, russia (got 'china')"),
    ("kim-putin", "scheduled.csv", "eef-2016", {"venue_class": "vladivostok"}, "venue_class",
     "(got 'vladivostok')"),
    ("kim-putin", "scheduled.csv", "eef-2016", {"host": "usa"}, "host",
     "expected one of dprk, russia, third_country (got 'usa')"),
    # another dyad's names are not this one's
    ("kim-trump", "summits.csv", "s2019-panmunjom", {"venue_class": "russian_far_east"},
     "venue_class", "expected one of dprk, korean_dmz, third_country, united_states"),
    ("kim-trump", "summits.csv", "s2019-hanoi", {"leader_b": "putin"}, "leader_b",
     "expected one of trump (got 'putin')"),
    ("kim-trump", "exchanges.csv", "x2018-05-09-pompeo", {"leader_met": "putin"}, "leader_met",
     "expected one of kim_jong_un, trump (got 'putin')"),
    ("kim-xi", "summits.csv", "s2018-dalian", {"travelled": "russia"}, "travelled",
     "expected one of both, china, dprk (got 'russia')"),
    ("kim-xi", "exchanges.csv", "x2018-05-02-wang-yi", {"direction": "to_usa"}, "direction",
     "expected one of to_china, to_dprk (got 'to_usa')"),
    ("kim-xi", "scheduled.csv", "parade-2025", {"host": "russia"}, "host",
     "expected one of china, dprk, third_country (got 'russia')"),
    ("kim-putin", "signals.csv", "2024-06-17-announcement", {"travels": "usa"}, "travels",
     "expected one of both, dprk, russia (got 'usa')"),
    ("kim-xi", "signals.csv", "2019-06-17-announcement", {"venue_class": "russian_far_east"},
     "venue_class", "expected one of china_capital, china_other, dprk, third_country"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "csv_name", "row_id", "changes", "column", "expected"),
    [pytest.param(*c, id=f"{c[0]}-{c[1]}-{'-'.join(c[3])}-{c[3][c[4]]}") for c in BAD_REFERENCES],
)
def test_undeclared_name_in_a_row(tmp_path, name, csv_name, row_id, changes, column, expected):
    data_dir = Path(shutil.copytree(dataset_dir(name), tmp_path / name))
    path = data_dir / csv_name
    edit_row(path, row_id, **changes)
    err = load_error(data_dir)
    assert err.file == str(path)
    assert err.field == f"{row_id}, {column}"
    assert expected in err.message
    assert str(err).startswith(f"{path}: {row_id}, {column}: expected one of ")


def _keep_summits(path: Path, keep) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    kept = [
        line for line in lines[1:] if keep(dict(zip(header, next(csv.reader([line])), strict=True)))
    ]
    path.write_text("".join([lines[0], *kept]), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "keep"),
    [
        # only the Kim Jong Il summits (earlier leaders) are left
        ("kim-putin", lambda row: row["leader_a"] != "kim_jong_un"),
        ("kim-trump", lambda row: False),  # no summit at all
        ("kim-xi", lambda row: False),
    ],
    ids=["kim-putin-only-earlier-leaders", "kim-trump-empty", "kim-xi-empty"],
)
def test_a_dataset_without_a_summit_of_its_two_leaders_is_refused(tmp_path, name, keep):
    data_dir = Path(shutil.copytree(dataset_dir(name), tmp_path / name))
    path = data_dir / "summits.csv"
    _keep_summits(path, keep)
    left = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(left) == (4 if name == "kim-putin" else 0)  # Kim Jong Il's four summits stay
    err = load_error(data_dir)
    assert err.file == str(path)
    assert err.field is None
    assert err.message == "expected at least one summit of the dyad's leaders"


def test_missing_source_names_file_line_and_field(data_dir):
    path = data_dir / "summits.csv"
    lineno = edit_row(path, "s2019-vladivostok", source="   ")
    err = load_error(data_dir)
    assert str(err).startswith(f"{path}: line {lineno} (s2019-vladivostok), source: ")


def test_duplicate_id(data_dir):
    path = data_dir / "summits.csv"
    text = path.read_text(encoding="utf-8")
    first = text.splitlines(keepends=True)[line_of(path, "s2023-vostochny") - 1]
    path.write_text(text + first, encoding="utf-8")
    n = len(text.splitlines()) + 1
    err = load_error(data_dir)
    assert err.file == str(path)
    assert err.field == f"line {n}, id"
    assert err.message == "duplicate id 's2023-vostochny'"


def test_two_summits_of_one_episode(data_dir):
    path = data_dir / "summits.csv"
    edit_row(path, "s2024-pyongyang", episode="vostochny-2023")
    err = load_error(data_dir)
    assert err.file == str(path)
    assert err.field == "s2024-pyongyang, episode"
    assert "already summit 's2023-vostochny'" in err.message


def test_each_signal_era_meeting_names_its_episode(dataset):
    """The meetings with signals before them name the episode their signals are filed under
    (docs/model.md §3.5: a signal made on its own meeting's day is spent by it)."""
    episodes = {s.episode for s in dataset.signals}
    named = {m.id: m.episode for m in dataset.summits if m.episode}
    assert named == {
        "s2019-vladivostok": "vladivostok-2019",
        "s2023-vostochny": "vostochny-2023",
        "s2024-pyongyang": "pyongyang-2024",
        "s2025-beijing": "beijing-2025",
    }
    assert set(named.values()) <= episodes


def test_extra_column(data_dir):
    path = data_dir / "exchanges.csv"
    lineno = line_of(path, "x2014-04-28-trutnev")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[lineno - 1] = lines[lineno - 1].rstrip("\n") + ",surplus\n"
    path.write_text("".join(lines), encoding="utf-8")
    err = load_error(data_dir)
    assert err.file == str(path)
    assert err.field == f"line {lineno}"
    assert "more fields than the header" in err.message


def test_missing_column(data_dir):
    path = data_dir / "periods.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:1] + r[2:] for r in rows])  # drop start
    path.write_text(out.getvalue(), encoding="utf-8")
    err = load_error(data_dir)
    assert err.field == "header"
    assert "missing column(s): start" in err.message


def test_unknown_column(data_dir):
    path = data_dir / "recurring.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[*r, "x"] for r in rows[:1]] + rows[1:2])
    path.write_text(out.getvalue(), encoding="utf-8")
    err = load_error(data_dir)
    assert err.field.startswith("line 2 (")
    assert err.field.endswith(", x")


def test_line_number_counts_blank_and_multi_line_rows(data_dir):
    path = data_dir / "summits.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # A blank line after the header and a note that spans two lines (quoted).
    lines.insert(1, "\n")
    i = next(i for i, line in enumerate(lines) if line.startswith("s2001-moscow,"))
    old = "Kim in Russia by train Jul 26 – Aug 18,"
    lines[i] = lines[i].replace(old, '"Kim in Russia\nby train Jul 26 – Aug 18",')
    assert lines[i].count("\n") == 2
    path.write_text("".join(lines), encoding="utf-8")
    assert "Kim in Russia\nby train" in [s.note for s in load_dataset(data_dir).summits][1]
    lineno = edit_row(path, "s2019-vladivostok", venue_class="Moon")
    err = load_error(data_dir)
    assert err.field == f"line {lineno} (s2019-vladivostok), venue_class"


def test_summit_after_the_coverage_end(data_dir):
    edit_row(data_dir / "summits.csv", "s2025-beijing", date="2026-03-01")
    err = load_error(data_dir)
    assert err.file == str(data_dir / "summits.csv")
    assert "s2025-beijing" in err.field
    assert "after the dataset's coverage end 2026-02-26" in err.message


def test_missing_data_file(data_dir):
    (data_dir / "scheduled.csv").unlink()
    err = load_error(data_dir)
    assert err.file == str(data_dir / "scheduled.csv")
    assert err.message == "dataset file not found"


def test_bad_meta(data_dir):
    path = data_dir / "dataset.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("coverage_end: 2026-02-26", "coverage_end: 2026-02-30"))
    err = load_error(data_dir)
    assert err.file == str(path)
    assert err.field == "coverage_end"


def test_not_utf8(data_dir):
    path = data_dir / "periods.csv"
    path.write_bytes(path.read_bytes().replace("–".encode(), b"\x96"))
    err = load_error(data_dir)
    assert err.file == str(path)
    assert err.field == "line 3" and err.message.startswith("not valid UTF-8 (byte 0x96")


# --------------------------------------------------------------------------- the hash


def test_data_sha256_is_stable():
    assert data_sha256() == data_sha256(default_data_dir())


def test_data_sha256_changes_when_a_byte_changes(data_dir):
    before = data_sha256(data_dir)
    assert before == data_sha256()
    path = data_dir / "summits.csv"
    raw = bytearray(path.read_bytes())
    at = raw.index(b"Pyongyang")
    raw[at] = ord("p")
    path.write_bytes(bytes(raw))
    after = data_sha256(data_dir)
    assert after != before
    assert load_dataset(data_dir).sha256 == after


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_sha256_covers_every_file(data_dir, name):
    before = data_sha256(data_dir)
    path = data_dir / name
    path.write_bytes(path.read_bytes() + b"\n")
    assert data_sha256(data_dir) != before


def test_recurring_dates_respect_first_year_and_leap_days():
    from forecast.domain.record import Recurring

    common = dict(id="x", name="x", uncertain=False, source="test", country="both")
    treaty = Recurring(**common, month=6, day=19, first_year=2025)
    assert treaty.dates(2023, 2026) == [date(2025, 6, 19), date(2026, 6, 19)]
    leap = Recurring(**common, month=2, day=29)
    assert leap.dates(2023, 2028) == [date(2024, 2, 29), date(2028, 2, 29)]


# --------------------------------------------------------------------------- CSV edge cases


def _edit(path: Path, edit) -> None:
    path.write_bytes(edit(path.read_bytes()))


def test_a_header_only_summits_file_is_refused(data_dir):
    _edit(data_dir / "summits.csv", lambda b: b.split(b"\n", 1)[0] + b"\n")
    with pytest.raises(InputError) as info:
        load_dataset(data_dir)
    assert str(info.value) == (
        f"{data_dir / 'summits.csv'}: expected at least one summit of the dyad's leaders"
    )


def test_an_empty_file_is_refused(data_dir):
    (data_dir / "periods.csv").write_bytes(b"")
    with pytest.raises(InputError, match=r"periods\.csv: header: the file is empty"):
        load_dataset(data_dir)


def test_a_second_row_of_one_state_is_refused_not_ignored(data_dir):
    path = data_dir / "periods.csv"
    war = next(
        line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("war,")
    )
    with path.open("a", encoding="utf-8") as fh:
        fh.write(war.replace("war,", "war_again,", 1) + "\n")
    with pytest.raises(InputError) as info:
        load_dataset(data_dir)
    assert info.value.field == "war_again, start"
    assert "overlaps period 'war' of the same state 'war'" in info.value.message


def test_a_state_may_recur_in_periods_that_do_not_overlap():
    trump = load_dataset("kim-trump")
    assert [p.id for p in trump.periods_of("in_office")] == ["in_office_1", "in_office_2"]


def test_a_byte_order_mark_is_accepted(data_dir, dataset):
    _edit(data_dir / "summits.csv", lambda b: b"\xef\xbb\xbf" + b)
    assert load_dataset(data_dir).summits == dataset.summits


def test_a_duplicated_header_is_named(data_dir):
    _edit(data_dir / "periods.csv", lambda b: b.replace(b"id,", b"id,id,", 1))
    with pytest.raises(InputError) as info:
        load_dataset(data_dir)
    assert str(info.value) == (
        f"{data_dir / 'periods.csv'}: header: duplicate column 'id'; expected each column once"
    )


def test_a_multi_line_row_is_named_by_its_lines_on_one_line(data_dir):
    _edit(
        data_dir / "periods.csv", lambda b: b.replace(b"war,2022-02-24", b'war,"2022-\n02-24"', 1)
    )
    with pytest.raises(InputError) as info:
        load_dataset(data_dir)
    assert info.value.field == "line 3-4 (war), start"
    assert "\n" not in str(info.value)


def test_a_dataset_file_that_is_not_regular_is_refused(data_dir):
    import os

    (data_dir / "recurring.csv").unlink()
    os.mkfifo(data_dir / "recurring.csv")
    with pytest.raises(InputError, match="expected a regular dataset file, got a named pipe"):
        load_dataset(data_dir)
