"""Zone rules, weight sets, rank changes and the delisting watch on the Jiangsu example data
(the inputs of examples/jiangsu_ranking.cpp)."""

import numpy as np
import pandas as pd
import pytest

import parkscore
from conftest import SOURCE_DIR

DATA = SOURCE_DIR / "examples" / "data"
GROUPS = ["level", "region", "city"]


@pytest.fixture(scope="module")
def results():
    return {year: parkscore.evaluate("jiangsu-2021", DATA / f"jiangsu-{year}.csv", groups=GROUPS)
            for year in (2021, 2022, 2023)}


def test_rules_record_veto_and_weight_set(results):
    r = results[2023]
    rules = r.rules
    assert list(rules.index) == r.unit_ids
    assert set(rules["weight_set"]) == {"JS-A"}
    vetoed = rules[rules["vetoed"]]
    assert list(vetoed.index) == list(r.excluded)
    for unit, row in vetoed.iterrows():
        assert row["veto"] in r.excluded[unit]
        assert np.isnan(r.rank(unit, grouping="level"))
    assert (rules["adjustment"] == rules["bonus"] + rules["deduction"]).all()
    assert (rules["bonus"] >= 0).all() and (rules["deduction"] <= 0).all()
    lines = r.adjustment_lines
    assert list(lines.columns) == ["unit", "item", "events", "points"]
    assert set(lines["unit"]) == {u for u, a in rules["adjustments"].items() if a}


def test_weight_set_choice(results):
    names = parkscore.load_preset("jiangsu-2021").weight_set_names
    assert names == ["JS-A", "JS-M"]
    m = parkscore.evaluate("jiangsu-2021", DATA / "jiangsu-2023.csv", groups=GROUPS, weight_set="JS-M")
    assert set(m.rules["weight_set"]) == {"JS-M"}
    assert not np.allclose(m.scores("level").iloc[:, 0].fillna(0), results[2023].scores("level").iloc[:, 0].fillna(0))
    by = parkscore.evaluate("jiangsu-2021", DATA / "jiangsu-2023.csv", groups=GROUPS,
                            weights_by_group=("region", {"苏南": "JS-M"}))
    frame = pd.read_csv(DATA / "jiangsu-2023.csv", encoding="utf-8").set_index("id")
    expected = np.where(frame.loc[by.unit_ids, "region"] == "苏南", "JS-M", "JS-A")
    assert list(by.rules["weight_set"]) == list(expected)
    with pytest.raises(parkscore.SchemaError, match="JS-X"):
        parkscore.evaluate("jiangsu-2021", DATA / "jiangsu-2023.csv", groups=GROUPS, weight_set="JS-X")


def test_rank_changes_against_the_two_rankings(results):
    changes = parkscore.rank_changes(results[2022], results[2023], "level")
    assert list(changes.index) == results[2023].unit_ids
    before = results[2022].ranks("level").iloc[:, 0]
    now = results[2023].ranks("level").iloc[:, 0]
    moved = changes[changes["status"] == "moved"]
    assert len(moved) > 80
    for unit, row in moved.iterrows():
        assert row["previous"] == before[unit] and row["current"] == now[unit]
        assert row["change"] == before[unit] - now[unit]
        c = int(row["change"])
        assert row["display"] == ("–" if c == 0 else f"↑{c}" if c > 0 else f"↓{-c}")
    vetoed = changes[changes["status"] == "vetoed"]
    assert set(vetoed.index) == set(results[2023].excluded)
    assert (vetoed["display"] == "n/a").all()


def test_delisting_watch(results):
    watch = parkscore.delisting_watch(results, "jiangsu-2021")
    assert list(watch.columns) == ["unit", "name", "pool", "hit_years", "rule", "order_value"]
    rule = parkscore.delisting_rule("jiangsu-2021")
    assert rule["name"] == "jiangsu-2021"
    # Every listed unit has at least min_hits evaluation years (2022..2024) in the bottom 3 of its pool.
    for _, w in watch.iterrows():
        assert len(w["hit_years"]) >= rule.get("min_hits", 2)
        assert set(w["hit_years"]) <= {2022, 2023, 2024}
        assert w["pool"] in rule.get("pools", [w["pool"]])
    # The watch list printed by examples/jiangsu_ranking (C++) on the same data.
    assert list(watch["unit"]) == ["P065", "P083", "P077"]
    assert list(watch["hit_years"]) == [[2022, 2023, 2024], [2022, 2023], [2022, 2023]]
    assert list(watch["order_value"]) == [90, 88, 86]
    assert "jiangsu-2021" in parkscore.delisting_rule_names()
    with pytest.raises(parkscore.SchemaError, match="no-such-rule"):
        parkscore.delisting_watch(results, "no-such-rule")
