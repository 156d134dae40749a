"""parkscore.evaluate gives the C++ engine's numbers (hand-computed cases of tests/engine/test_evaluate.cpp)."""

import threading

import numpy as np
import pandas as pd
import pytest

import parkscore
from parkscore import _core

from conftest import NaN, build_two_category_framework

# Index scores of the all-units pool, worked by hand (tests/engine/test_evaluate.cpp):
#   a1 = 0,10,20,40 -> 0, 25, 50, 100      a2 = 5,1,3,1 (lower) -> 0, 100, 50, 100
#   b1 = 2,4,6,8    -> 0, 33.3, 66.7, 100   A = (a1 + a2)/2 -> 0, 62.5, 50, 100
#   index = (2A + B)/3 -> 0, 52.777.., 55.555.., 100
INDEX_ALL = [0, (125 + 100 / 3) / 3, (100 + 200 / 3) / 3, 100]


def test_hand_computed_four_units(two_category_framework, four_units):
    r = parkscore.evaluate(two_category_framework, four_units)
    scores, ranks = r.scores(), r.ranks()
    assert list(scores.index) == ["u1", "u2", "u3", "u4"] and scores.index.name == "id"
    assert list(scores.columns) == ["index", "A", "a1", "a2", "B", "b1"]
    np.testing.assert_allclose(scores["index"], INDEX_ALL, rtol=1e-12)
    np.testing.assert_allclose(scores["A"], [0, 62.5, 50, 100])
    np.testing.assert_array_equal(ranks["index"], [4, 3, 2, 1])
    np.testing.assert_array_equal(ranks["A"], [4, 2, 3, 1])
    np.testing.assert_allclose(r.normalised()["a2"], [0, 100, 50, 100])
    assert r.coverage().loc["u1", "index"] == 3
    assert r.score("u2") == pytest.approx(52.7777777778)
    assert r.rank("u3") == 2
    assert list(r.scores(level=1).columns) == ["A", "B"]
    assert list(r.scores(nodes=["b1", "index"]).columns) == ["b1", "index"]


def test_pools_within_each_label(two_category_framework, four_units):
    r = parkscore.evaluate(two_category_framework, four_units, pools=["all", "level"])
    assert r.groupings == ["all", "level"]
    np.testing.assert_allclose(r.scores("all")["index"], INDEX_ALL)
    # national: u1, u3 -> every indicator 0 / 100; provincial: A = 25, 75; B = 0, 100
    np.testing.assert_allclose(r.scores("level")["index"], [0, 50 / 3, 100, 250 / 3])
    np.testing.assert_array_equal(r.ranks("level")["index"], [2, 2, 1, 1])
    assert list(r.labels("level")) == ["national", "provincial", "national", "provincial"]
    assert ((r.warnings["node"] == "a2") & (r.warnings["pool"] == "level=provincial")).any()


def test_excluded_units_scored_not_ranked(two_category_framework, four_units):
    r = parkscore.evaluate(two_category_framework, four_units, excluded={"u4": "major safety accident"})
    # Statistics over u1..u3: a1 0..20 -> u4 (40) scores 200; a2 1..5 -> 100; b1 2..6 -> 150.
    np.testing.assert_allclose(r.normalised().loc["u4"], [200, 100, 150])
    np.testing.assert_array_equal(r.ranks()["index"], [3, 2, 1, NaN])
    assert r.excluded == {"u4": "major safety accident"}
    assert parkscore.evaluate(two_category_framework, four_units, excluded=["u4"]).excluded == {"u4": "excluded"}


def test_demo_by_hand(demo_framework_path, demo_csv):
    r = parkscore.evaluate(demo_framework_path, demo_csv)
    assert r.groupings == ["all", "level"]
    # National pool (D01, D02), points scale, ECO 60 points, GRN 40:
    #   gdp, tax efficacy: D01 100, D02 60; fdi 100 x/5 capped at 200: 144, 78
    #   ECO = (3*100 + 2*100 + 144)/6 * 0.6 = 64.4;   (3*60 + 2*60 + 78)/6 * 0.6 = 37.8
    #   energy (lower) efficacy: 100, 60; land_tax anchored 10..40 clamped: 100, 60 + 40*21/30 = 88
    #   GRN = 100 * 0.4 = 40;   (60 + 88)/2 * 0.4 = 29.6
    s = r.scores("level")
    np.testing.assert_allclose(s.loc[["D01", "D02"], "ECO"], [64.4, 37.8])
    np.testing.assert_allclose(s.loc[["D01", "D02"], "GRN"], [40, 29.6])
    np.testing.assert_allclose(s.loc[["D01", "D02"], "index"], [104.4, 67.4])
    table = r.table("level", names=True)
    assert list(table.index[:2]) == ["D01", "D02"] and "经济发展" in table.columns
    assert table.loc["D01", "name"] == "示范园区甲 (demo A)"


def test_identical_to_the_cpp_path(demo_framework_path, demo_csv):
    """The DataFrame path equals the C++ path (C++ CSV reader + evaluate) bit for bit."""
    fw = parkscore.load_framework(demo_framework_path)
    cpp = _core.evaluate(fw, _core.read_wide(str(demo_csv), group_columns=["level"]))
    frame = pd.read_csv(demo_csv)
    py = parkscore.evaluate(fw, frame)
    for grouping in ("", "level"):
        for matrix in ("scores", "kept_ranks", "normalised", "coverage"):
            np.testing.assert_array_equal(getattr(py.pool(grouping or "all"), matrix),
                                          getattr(cpp.pool(grouping), matrix))
        np.testing.assert_array_equal(py.raw.rank_matrix(grouping), cpp.rank_matrix(grouping))
    assert py.raw.unit_names == cpp.unit_names


def test_contributions_add_up(two_category_framework, four_units):
    r = parkscore.evaluate(two_category_framework, four_units)
    c = r.contributions("u2")
    # absolute weights a1, a2 = 1/3, b1 = 1/3; u2 normalised 25, 100, 33.3
    np.testing.assert_allclose(c, [25 / 3, 100 / 3, 100 / 9])
    assert c.sum() == pytest.approx(r.score("u2"))


def test_pool_matrices_are_views(two_category_framework, four_units):
    r = parkscore.evaluate(two_category_framework, four_units)
    scores = r.pool().scores
    assert not scores.flags.owndata and not scores.flags.writeable and scores.shape == (4, 6)


def test_progress_callback(two_category_framework, four_units):
    calls = []
    parkscore.evaluate(two_category_framework, four_units, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 1), (1, 1)]

    def stop(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        parkscore.evaluate(two_category_framework, four_units, progress=stop)
    with pytest.raises(TypeError, match="progress must be"):
        parkscore.evaluate(two_category_framework, four_units, progress=3)


def test_progress_true_uses_tqdm(monkeypatch, two_category_framework, four_units):
    import sys
    import types

    bars = []

    class FakeBar:
        def __init__(self, total, desc):
            self.total, self.desc, self.n, self.closed = total, desc, 0, False
            bars.append(self)

        def update(self, k):
            self.n += k

        def close(self):
            self.closed = True

    module = types.ModuleType("tqdm.auto")
    module.tqdm = FakeBar
    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", module)
    parkscore.evaluate(two_category_framework, four_units, progress=True)
    assert len(bars) == 1 and bars[0].n == 1 and bars[0].total == 1 and bars[0].closed


def test_threads_evaluate_concurrently(two_category_framework, four_units):
    data = parkscore.to_dataset(four_units, groups=["level"])
    out = [None] * 8

    def work(i):
        out[i] = parkscore.evaluate(two_category_framework, data, pools=["all", "level"]).scores("level")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for frame in out:
        pd.testing.assert_frame_equal(frame, out[0])


def test_small_and_large_evaluations_agree_with_the_plan(two_category_framework):
    # Below 2^17 cells evaluate() keeps the GIL and reads its inputs; from there on it copies
    # them and releases it (bindings/python/src/evaluate.cpp). Both give the plan's numbers.
    rng = np.random.default_rng(3)
    plan = parkscore.compile(two_category_framework)
    for n in (50, 50000):   # 150 and 150 000 cells
        frame = pd.DataFrame(rng.lognormal(1.0, 0.5, size=(n, 3)), columns=["a1", "a2", "b1"])
        frame.insert(0, "id", [f"U{i}" for i in range(n)])
        data = parkscore.to_dataset(frame)
        direct = parkscore.evaluate(two_category_framework, data, pools=["all"])
        planned = plan.evaluate(data, pools=["all"])
        pd.testing.assert_frame_equal(direct.scores("all"), planned.scores("all"))
        pd.testing.assert_frame_equal(direct.ranks("all"), planned.ranks("all"))


def test_long_layout(four_units):
    long = four_units.melt(id_vars=["id", "level"], var_name="indicator", value_name="value")
    wide = parkscore.long_to_wide(long)
    pd.testing.assert_frame_equal(wide, four_units.set_index("id"), check_dtype=False)
    r = parkscore.evaluate(build_two_category_framework(), wide)
    np.testing.assert_allclose(r.scores()["index"], INDEX_ALL)
    with pytest.raises(parkscore.DataError, match="unit 'u1' has indicator 'a1' more than once"):
        parkscore.long_to_wide(pd.concat([long, long.iloc[:1]]))


def test_framework_building_and_json_round_trip(tmp_path, two_category_framework):
    fw = two_category_framework
    fw.update("b1", normalisation="goalposts", gp_min=0, gp_max=10, clamp=True)
    fw.update("index", rescale="best_is_100")
    fw.rank_method = "dense"
    fw.score_scale = "points"
    fw.pools = ["", "level"]
    assert fw.node("b1")["gp_max"] == 10 and fw.node("index")["rescale"] == "best_is_100"
    path = tmp_path / "fw.json"
    parkscore.save_framework(fw, path)
    back = parkscore.load_framework(path)
    assert back == fw and parkscore.parse_framework(parkscore.to_json(fw)) == fw
    table = parkscore.node_table(fw)
    np.testing.assert_allclose(table["absolute_weight"], [1, 2 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3])
    copy = fw.copy()
    copy.update("a1", weight=5)
    assert copy != fw


def test_node_ranks_on_request_equal_ranks_kept_during_evaluation(demo_framework_path, demo_csv):
    """The index and categories are ranked during evaluation; other nodes when asked. Asked-for
    ranks equal those an evaluation keeping every rank computes (docs/performance.md)."""
    fw = parkscore.load_framework(demo_framework_path)
    r = parkscore.evaluate(fw, pd.read_csv(demo_csv), pools=["level"])
    pool = r.raw.pool("level")
    top = [k for k, n in enumerate(fw.nodes) if n["depth"] <= 1]   # the index and its categories
    assert list(pool.rank_nodes) == top
    assert pool.kept_ranks.shape == (len(r.raw.unit_ids), len(top))
    every = r.raw.rank_matrix("level")
    assert every.shape == pool.scores.shape
    np.testing.assert_array_equal(every[:, top], pool.kept_ranks)
    # An indicator's ranks: within each level label, 1 + the number of units scoring more.
    ind = fw.node_ids.index(fw.indicator_ids[0])
    scores, labels = pool.scores[:, ind], np.array(pool.labels)
    for u in range(len(labels)):
        same = labels == labels[u]
        assert every[u, ind] == 1 + np.sum(scores[same] > scores[u])
