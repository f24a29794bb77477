import pytest
from tests.experiences.test_map import test_the_map_costs_the_same_queries_for_3_or_30_reports  # noqa

@pytest.fixture(autouse=True)
def _no_hook(monkeypatch):
    from wagtail import hooks
    real = hooks.get_hooks
    monkeypatch.setattr(hooks, "get_hooks", lambda name: [] if name == "experiences_map_geojson" else real(name))
