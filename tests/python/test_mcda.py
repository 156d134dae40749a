"""Benefit of the doubt, outranking and Kemeny from Python: the numbers of
tests/methods/test_bod.cpp and test_outranking.cpp (worked by hand there)."""

import numpy as np
import pandas as pd
import pytest

import parkscore

FOUR = pd.DataFrame({"x1": [4.0, 1, 2, 1], "x2": [1.0, 4, 2, 1]}, index=["A", "B", "C", "D"])
CYCLE = pd.DataFrame({"x1": [3, 2, 1, 0], "x2": [1, 3, 2, 0], "x3": [2, 1, 3, 0]}, index=list("abcd"))


def test_bod_scores_weights_peers():
    r = parkscore.benefit_of_the_doubt(FOUR)
    np.testing.assert_allclose(r["score"], [1, 1, 0.8, 0.4], atol=1e-9)
    np.testing.assert_allclose(r.loc["C", ["w_x1", "w_x2"]].astype(float), [0.2, 0.2], atol=1e-9)
    assert r.loc["D", "peers"] == ["A", "B"]


def test_bod_binding_share_bound():
    # x1's share of A's score <= 1/2: w = (1/17, 4/17), score 8/17 (test_bod.cpp).
    r = parkscore.benefit_of_the_doubt(FOUR, share_bounds={"x1": (0.0, 0.5)})
    assert r.loc["A", "score"] == pytest.approx(8 / 17)
    assert r.loc["A", "peers"] == ["B"]


def test_bod_assurance_pair_and_common_weights():
    r = parkscore.benefit_of_the_doubt(FOUR, assurance_pairs=[("x1", "x2", 2.0, 3.0)], nominal={"x1": 1, "x2": 1})
    assert r.loc["B", "score"] == pytest.approx(2 / 3)
    c = parkscore.benefit_of_the_doubt(FOUR, variant="common")
    np.testing.assert_allclose(c["w_x1"], 0.2, atol=1e-9)


def test_bod_robust_is_reproducible():
    rng = np.random.default_rng(3)
    data = pd.DataFrame(rng.uniform(0, 1, size=(30, 4)), columns=list("pqrs"))
    a = parkscore.benefit_of_the_doubt(data, variant="robust", peers=5, replicates=20, seed=9)
    b = parkscore.benefit_of_the_doubt(data, variant="robust", peers=5, replicates=20, seed=9)
    assert a["score"].equals(b["score"])
    assert (a["score"] >= a["full_score"] - 1e-9).all()


def test_bod_errors_name_unit_and_indicator():
    bad = FOUR.copy()
    bad.loc["C", "x2"] = -1.0
    with pytest.raises(parkscore.DataError, match="unit 'C', indicator 'x2'"):
        parkscore.benefit_of_the_doubt(bad)
    with pytest.raises(parkscore.SchemaError, match="'x9' is not a column"):
        parkscore.benefit_of_the_doubt(FOUR, share_bounds={"x9": (0, 0.5)})


def test_outranking_and_kemeny_of_the_cycle():
    e = parkscore.outranking_matrix(CYCLE, {"x1": 0.40, "x2": 0.35, "x3": 0.25})
    assert e.loc["a", "b"] == pytest.approx(0.65)
    assert e.loc["c", "a"] == pytest.approx(0.60)
    k = parkscore.kemeny_ranking(e)
    assert list(k.index) == ["a", "b", "c", "d"]
    assert k.attrs["score"] == pytest.approx(4.80)
    h = parkscore.kemeny_ranking(e, solver="heuristic")
    assert h.attrs["upper_bound"] == pytest.approx(5.00)
    assert h.attrs["gap"] == pytest.approx(0.20)
    assert not h.attrs["exact"]


def test_analyse_an_evaluation(demo_framework_path, demo_csv):
    result = parkscore.evaluate(demo_framework_path, demo_csv)
    # D04 has no fdi value: an error naming it, unless incomplete units are left out.
    with pytest.raises(parkscore.DataError, match="unit 'D04', indicator 'fdi'"):
        parkscore.analyse(result, {"method": "kemeny", "pool": "level"})
    kem = parkscore.analyse(result, {"method": "kemeny", "pool": "level", "missing": "drop_units"})
    assert kem.attrs["dropped"] == ["D04"]
    assert "D04" not in kem.index
    assert set(kem["pool"]) == set(result.raw.pool("level").labels)
    assert (kem["nominal_rank"] >= 1).all()
    for label, pool in kem.attrs["pools"].items():
        n = int((kem["pool"] == label).sum())
        assert sorted(kem.loc[kem["pool"] == label, "kemeny_rank"]) == list(range(1, n + 1))
        assert pool["exact"]
    bod = parkscore.analyse(result, {"method": "bod", "pool": "all", "missing": "drop_units"})
    assert (bod["score"] <= 1 + 1e-9).all() and (bod["score"] > 0).all()
    assert bod["score"].max() == pytest.approx(1.0)
    with pytest.raises(parkscore.SchemaError, match="/restrictions/shares/nope"):
        parkscore.analyse(result, {"method": "bod", "restrictions": {"shares": {"nope": {"max": 0.5}}}})
