"""parkscore.compile / Plan: the compiled engine from Python (docs/performance.md)."""
import json

import numpy as np
import pandas as pd
import pytest

import parkscore


@pytest.fixture
def frame(demo_csv):
    return pd.read_csv(demo_csv)


def test_plan_gives_the_same_result_as_evaluate(demo_framework_path, frame):
    fw = parkscore.load_framework(demo_framework_path)
    plan = parkscore.compile(fw)
    a = parkscore.evaluate(fw, frame, pools=["all", "level"])
    b = plan.evaluate(frame, pools=["all", "level"])
    for g in ("all", "level"):
        pd.testing.assert_frame_equal(a.scores(g), b.scores(g))
        pd.testing.assert_frame_equal(a.ranks(g), b.ranks(g))
    # A plan is reusable: a second evaluation of other data, same plan.
    c = plan.evaluate(frame.iloc[::-1], pools=["all"])
    pd.testing.assert_frame_equal(c.scores("all").loc[a.unit_ids], a.scores("all"))


def test_lean_result_keeps_the_index_and_categories(demo_framework_path, frame):
    plan = parkscore.compile(demo_framework_path)
    full = plan.evaluate(frame, pools=["level"])
    lean = plan.evaluate(frame, pools=["level"], keep="lean")
    pd.testing.assert_frame_equal(lean.scores("level"), full.scores("level", level=None).loc[:, lean.scores("level").columns])
    categories = [n["id"] for n in plan.framework.nodes if n["depth"] == 1]
    assert list(lean.scores("level").columns) == [plan.framework.node_ids[0]] + categories
    pd.testing.assert_frame_equal(lean.ranks("level", level=1), full.ranks("level", level=1))
    with pytest.raises(parkscore.Error, match="not kept"):
        lean.scores("level", nodes=[plan.framework.indicator_ids[0]])
    with pytest.raises(parkscore.Error, match="coverage was not kept"):
        lean.coverage("level")


def test_index_keep_ranks_the_index_now_and_categories_when_asked(tmp_path, demo_framework_path, frame):
    plan = parkscore.compile(demo_framework_path)
    lean = plan.evaluate(frame, pools=["level"], keep="lean")
    index = plan.evaluate(frame, pools=["level"], keep="index")
    assert list(index.raw.pool("level").rank_nodes) == [0]
    categories = sum(1 for n in plan.framework.nodes if n["depth"] == 1)
    assert len(lean.raw.pool("level").rank_nodes) == 1 + categories
    pd.testing.assert_frame_equal(index.scores("level"), lean.scores("level"))
    pd.testing.assert_frame_equal(index.ranks("level", level=1), lean.ranks("level", level=1))
    pd.testing.assert_frame_equal(index.ranks("level", level=0), lean.ranks("level", level=0))
    # No records: reading them says why instead of giving empty tables.
    assert lean.raw.pool("level").records and not index.raw.pool("level").records
    assert len(lean.normalisation("level")) == 2 * len(plan.framework.indicator_ids)
    with pytest.raises(parkscore.Error, match="kept no normalisation or weight records"):
        index.normalisation("level")
    with pytest.raises(parkscore.Error, match="kept no normalisation or weight records"):
        index.weights("level")
    # The manifest records the choice, and a re-run makes it again.
    path = tmp_path / "index.json"
    index.manifest(path)
    recorded = json.loads(path.read_text())
    assert recorded["options"]["keep"]["category_ranks"] is False
    assert recorded["options"]["keep"]["records"] is False
    assert recorded["constants"] is None
    again = parkscore.rerun(path, data=frame)
    assert list(again.raw.pool("level").rank_nodes) == [0]
    pd.testing.assert_frame_equal(again.ranks("level", level=1), lean.ranks("level", level=1))


def test_everything_ranks_every_node_during_evaluation(demo_framework_path, frame):
    plan = parkscore.compile(demo_framework_path)
    every = plan.evaluate(frame, keep="everything")
    pool = every.raw.pool(every.raw.groupings[0])
    assert list(pool.rank_nodes) == list(range(len(plan.framework.node_ids)))
    np.testing.assert_array_equal(pool.kept_ranks, every.raw.rank_matrix(pool.grouping))
    full = plan.evaluate(frame)
    pd.testing.assert_frame_equal(full.ranks(), every.ranks())


def test_threads_do_not_change_a_bit(demo_framework_path, frame):
    # 40 000 units x 5 indicators: above the engine's threshold for threads.
    rng = np.random.default_rng(7)
    big = pd.DataFrame({c: rng.lognormal(size=40000) for c in ("gdp", "tax", "fdi", "energy", "land_tax")})
    big.insert(0, "id", [f"U{i}" for i in range(len(big))])
    plan = parkscore.compile(demo_framework_path)
    one = plan.evaluate(big, pools=["all"], threads=1, keep="lean")
    two = plan.evaluate(big, pools=["all"], threads=2, keep="lean")
    assert one.scores("all").to_numpy().tobytes() == two.scores("all").to_numpy().tobytes()
    assert one.ranks("all").to_numpy().tobytes() == two.ranks("all").to_numpy().tobytes()


def test_bad_options_are_schema_errors(demo_framework_path, frame):
    plan = parkscore.compile(demo_framework_path)
    with pytest.raises(parkscore.SchemaError, match="keep must be"):
        plan.evaluate(frame, keep="some")
    with pytest.raises(parkscore.SchemaError, match="threads must be"):
        plan.evaluate(frame, threads=-1)
