import sys

from forecast.model.sample import _mp_context


def test_chains_fork_unless_nutpie_threads_may_be_running(monkeypatch):
    monkeypatch.delitem(sys.modules, "nutpie", raising=False)
    assert _mp_context() is None
    monkeypatch.setitem(sys.modules, "nutpie", object())
    assert _mp_context() == "forkserver"
