"""The signal tables of the three datasets: what they hold, and how the record cuts them."""

from datetime import date

import pytest

from forecast.domain.record import available_datasets, load_dataset
from forecast.domain.signals import Signal, in_fit, time_frame_window


@pytest.mark.parametrize("name", ["kim-putin", "kim-trump", "kim-xi"])
def test_signals_of_every_dataset_load_sorted_with_unique_ids(name):
    signals = load_dataset(name).signals
    assert signals
    assert [s.date for s in signals] == sorted(s.date for s in signals)
    assert len({s.id for s in signals}) == len(signals)
    assert all(s.source.startswith("http") for s in signals)


def test_every_dataset_has_a_signals_table():
    for name in available_datasets():
        assert isinstance(load_dataset(name).signals, tuple)


def test_kim_putin_signals_hold_every_episode_of_the_sheet(dataset):
    episodes = {s.episode for s in dataset.signals}
    assert episodes == {
        "victory-day-2015",
        "visit-2018",
        "vladivostok-2019",
        "vostochny-2023",
        "pyongyang-2024",
        "calls-2024-2025",
        "beijing-2025",
        "moscow-visit-2025-2026",
    }
    kinds = {s.kind for s in dataset.signals}
    assert len(kinds) == 8  # every kind of the sheet occurs, and nothing else


def test_uncertain_and_neutral_rows_stay_in_the_file_but_out_of_the_fit(dataset):
    uncertain = [s for s in dataset.signals if s.uncertain]
    neutral = [s for s in dataset.signals if s.effective_stance == "neutral"]
    assert len(uncertain) == 7  # the sheet's U rows that are signals
    assert {s.id for s in neutral} == {
        "2023-09-05-denial",
        "2023-09-09-denial",
        "2023-09-11-denial",
        "2025-10-28-denial",
    }
    assert not any(in_fit(s) for s in uncertain + neutral)
    assert sum(in_fit(s) for s in dataset.signals) == len(dataset.signals) - 11


def test_the_announcements_of_2024_name_dates_venue_and_traveller(dataset):
    ann = [
        s
        for s in dataset.signals
        if s.episode == "pyongyang-2024" and s.kind == "official_announcement_with_dates"
    ]
    assert {(s.who, s.window_start, s.window_end, s.venue_class, s.travels) for s in ann} == {
        ("Kremlin", date(2024, 6, 18), date(2024, 6, 19), "dprk", "russia"),
        ("KCNA (about 20:00)", date(2024, 6, 18), date(2024, 6, 19), "dprk", "russia"),
    }


def test_stance_follows_the_kind_unless_stated():
    def make(kind, stance=None):
        return Signal(
            id="x", date=date(2024, 1, 1), kind=kind, who="w", what="x", uncertain=False,
            source="https://example.org", stance=stance, window_end=date(2024, 1, 2),
        )  # fmt: skip

    assert make("official_denial_or_no_plans").effective_stance == "against"
    assert make("cancellation").effective_stance == "against"
    assert make("media_report_citing_sources").effective_stance == "for"
    assert make("intelligence_assessment", "against").effective_stance == "against"
    assert make("official_announcement_with_dates").window_from == date(2024, 1, 1)


def test_known_on_drops_signals_dated_after_as_of(dataset):
    cut = dataset.known_on(date(2024, 6, 16))
    assert max(s.date for s in cut.signals) == date(2024, 6, 14)
    assert not any(s.kind == "official_announcement_with_dates" for s in cut.signals[-5:])
    on_the_day = dataset.known_on(date(2024, 6, 17))
    assert {s.id for s in on_the_day.signals} - {s.id for s in cut.signals} == {
        "2024-06-17-confirmation",
        "2024-06-17-confirmation-2",
        "2024-06-17-announcement",
        "2024-06-17-announcement-2",
    }


@pytest.mark.parametrize(
    ("time_frame", "day", "window"),
    [
        ("in the coming days", date(2023, 9, 11), (None, date(2023, 9, 18))),
        ("in a few days", date(2024, 6, 12), (None, date(2024, 6, 19))),
        ("in the coming weeks", date(2024, 6, 10), (None, date(2024, 7, 8))),
        # said on a Wednesday, a Monday and a Sunday: Monday to Wednesday of the next week
        ("early next week", date(2024, 6, 12), (date(2024, 6, 17), date(2024, 6, 19))),
        ("early next week", date(2024, 6, 17), (date(2024, 6, 24), date(2024, 6, 26))),
        ("early next week", date(2024, 6, 16), (date(2024, 6, 17), date(2024, 6, 19))),
    ],
)
def test_a_time_frame_in_words_is_read_as_a_fixed_window(time_frame, day, window):
    assert time_frame_window(time_frame, day) == window
    row = Signal(
        id="x",
        date=day,
        kind="media_report_citing_sources",
        who="w",
        what="x",
        uncertain=False,
        source="https://example.org/x",
        time_frame=time_frame,
    )
    assert (row.window_start, row.window_end) == window
    # validated again with the window it set (a scenario's entry becoming a record's row)
    assert Signal(**row.model_dump()) == row


def test_the_dataset_rows_with_a_time_frame(dataset):
    framed = {s.id: (s.time_frame, s.window_end) for s in dataset.signals if s.time_frame}
    assert framed == {
        "2023-09-11-media": ("in the coming days", date(2023, 9, 18)),
        "2023-09-11-confirmation": ("in the coming days", date(2023, 9, 18)),
        "2024-06-10-media": ("in the coming weeks", date(2024, 7, 8)),
        "2024-06-12-media": ("early next week", date(2024, 6, 19)),
        "2024-06-12-intelligence": ("in a few days", date(2024, 6, 19)),
    }
