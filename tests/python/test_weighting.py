"""Weighting from Python: the numbers of tests/methods/test_ahp.cpp, test_weight_data.cpp and test_weight.cpp."""

import numpy as np
import pandas as pd
import pytest

import parkscore

CHAIRS = np.array([[1, 5, 6, 7], [1 / 5, 1, 4, 6], [1 / 6, 1 / 4, 1, 4], [1 / 7, 1 / 6, 1 / 4, 1]])


def test_ahp_saaty_chairs():
    # Saaty (1977): w = 0.61866878 0.23532282 0.10093397 0.04507443, lambda 4.3907302185762 (numpy.linalg.eig)
    r = parkscore.ahp_weights(CHAIRS, allow_inconsistent=True)
    np.testing.assert_allclose(r["weights"], [0.61866878, 0.23532282, 0.10093397, 0.04507443], atol=1e-7)
    a = r["ahp"]
    assert a["lambda_max"] == pytest.approx(4.3907302185762)
    assert a["ci"] == pytest.approx(0.13024340619206676)
    assert a["ri"] == 0.90
    assert a["cr"] == pytest.approx(0.14471489576896307)
    assert not a["consistent"]
    assert a["least_consistent"][:3] == [(0, 3), (0, 1), (2, 3)]


def test_ahp_inconsistent_is_an_error_with_the_message():
    with pytest.raises(parkscore.MethodError, match=r"CR = 0\.1447 >= 0\.1") as e:
        parkscore.ahp_weights(pd.DataFrame(CHAIRS, columns=["c1", "c2", "c3", "c4"]))
    assert "least consistent: (0 (c1), 3 (c4)) = 7 vs w_i/w_j = 13.73" in str(e.value)
    assert isinstance(e.value, ValueError)


def test_ahp_geometric_mean_alternative_ri_and_names():
    alt = parkscore.ahp_weights(CHAIRS, allow_inconsistent=True, ri_table="alternative")
    assert alt["ahp"]["cr"] == pytest.approx(0.13024340619206676 / 0.89)
    gm = parkscore.ahp_weights(CHAIRS, allow_inconsistent=True, method="geometric_mean", names=list("abcd"))
    assert list(gm["weights"].index) == ["a", "b", "c", "d"]
    np.testing.assert_allclose(gm["weights"], [0.61363385, 0.2385969, 0.10299513, 0.04477413], atol=1e-7)
    assert gm["ahp"]["lambda_max"] == pytest.approx(4.390264069889245)
    two = parkscore.ahp_weights([[1, 3], [1 / 3, 1]])
    np.testing.assert_allclose(two["weights"], [0.75, 0.25])
    assert two["ahp"]["cr"] == 0.0
    with pytest.raises(parkscore.SchemaError, match="unknown AHP method 'eigen'"):
        parkscore.ahp_weights(CHAIRS, method="eigen")


def test_entropy_hand_computed_and_shift():
    x = pd.DataFrame({"a": [1, 2, 3], "b": [1, 1, 2], "c": [0, 0, 1]})
    r = parkscore.entropy_weights(x, policy="require_nonnegative")
    np.testing.assert_allclose(r["entropy"]["entropy"], [0.920619835714, 0.946394630357, 0.0], atol=1e-10)
    np.testing.assert_allclose(r["weights"], [0.070062822436, 0.047313375182, 0.882623802382], atol=1e-9)
    assert list(r["weights"].index) == ["a", "b", "c"] and r["rows_used"] == 3
    s = parkscore.entropy_weights(np.array([[0, 1], [50, 2], [100, 4]]))
    np.testing.assert_allclose(s["entropy"]["shift"], [0.01, 0.0])
    np.testing.assert_allclose(s["weights"], [0.763519255586, 0.236480744414], atol=1e-9)
    with pytest.raises(parkscore.MethodError, match="column 'tax' has a negative value -2"):
        parkscore.entropy_weights(pd.DataFrame({"gdp": [1, 2, 3], "tax": [-2, 3, 4]}), policy="require_nonnegative")


def test_critic_and_variation_hand_computed():
    x = np.array([[0, 0, 100], [50, 100, 50], [100, 50, 0]], dtype=float)
    r = parkscore.critic_weights(x)
    np.testing.assert_allclose(r["critic"]["conflict"], [2.5, 2.0, 3.5])
    np.testing.assert_allclose(r["weights"], [0.3125, 0.25, 0.4375])
    np.testing.assert_allclose(parkscore.critic_weights(x, correlation="abs_r")["weights"], [0.25, 0.5, 0.25])
    v = parkscore.variation_weights(np.array([[1, 2, 10], [2, 4, 10], [3, 6, 40]], dtype=float))
    s = np.sqrt(0.75)
    np.testing.assert_allclose(v["variation"]["cv"], [0.5, 0.5, np.sqrt(300) / 20])
    np.testing.assert_allclose(v["weights"], [0.5 / (1 + s), 0.5 / (1 + s), s / (1 + s)])


PCA_X = np.array([12, 30, 22, 5, 7, 15, 34, 25, 4, 9, 11, 29, 19, 8, 3, 18, 41, 30, 6, 6, 14, 33, 27, 9, 2, 20, 44,
                  31, 3, 10, 9, 26, 18, 7, 5, 16, 37, 24, 2, 11, 13, 31, 26, 6, 4, 17, 36, 28, 8, 8],
                 dtype=float).reshape(10, 5)


def test_pca_as_the_cpp_reference():
    r = parkscore.pca_weights(PCA_X)
    d = r["pca"]
    np.testing.assert_allclose(d["eigenvalues"], [3.537179975361, 1.234377861199, 0.153110390682,
                                                  0.071122670584, 0.004209102175], atol=1e-9)
    assert d["retained"] == 2 and d["factor_of"] == [0, 0, 0, 1, 1]
    np.testing.assert_allclose(d["factor_variance"], [2.777117281244, 1.994440555316], atol=1e-8)
    np.testing.assert_allclose(r["weights"], [0.198811274593, 0.189127922428, 0.216273235069, 0.205663578984,
                                              0.190123988926], atol=1e-8)
    assert parkscore.pca_weights(PCA_X, min_eigenvalue=2.0, min_cumulative=0.97)["pca"]["retained"] == 3
    with pytest.raises(parkscore.MethodError, match="at least 6 complete rows, got 5"):
        parkscore.pca_weights(PCA_X[:5])


def test_combined():
    lin = parkscore.combine_weights(pd.Series([0.5, 0.3, 0.2], index=["x", "y", "z"]), [0.2, 0.2, 0.6], alpha=0.6)
    np.testing.assert_allclose(lin["weights"], [0.38, 0.26, 0.36])
    assert list(lin["weights"].index) == ["x", "y", "z"] and len(lin["parts"]) == 2
    mul = parkscore.combine_weights([0.5, 0.3, 0.2], [0.2, 0.2, 0.6], how="multiplicative")
    np.testing.assert_allclose(mul["weights"], [0.1 / 0.28, 0.06 / 0.28, 0.12 / 0.28])
    with pytest.raises(parkscore.MethodError, match=r"alpha must be in \[0, 1\]"):
        parkscore.combine_weights([0.5, 0.5], [0.5, 0.5], alpha=1.5)


def test_node_weighting_in_code_and_the_weights_used(two_category_framework, four_units):
    fw = two_category_framework
    fw.update("index", weighting={"method": "ahp", "matrix": [[1, 3], ["1/3", 1]]})
    fw.update("A", weighting={"method": "entropy"})
    assert fw.node("index")["weighting"]["method"] == "ahp"
    r = parkscore.evaluate(fw, four_units, pools=["all"])
    w = r.weights()
    index = w[w["node"] == "index"].set_index("child")["weight"]
    assert index["A"] == pytest.approx(0.75) and index["B"] == pytest.approx(0.25)
    a = w[w["node"] == "A"]
    assert list(a["method"].unique()) == ["entropy"] and a["weight"].sum() == pytest.approx(1.0)
    # The entropy weights of A are those of its children's scores (the normalised a1, a2).
    normalised = r.normalised("all")[["a1", "a2"]]
    expected = parkscore.entropy_weights(normalised)["weights"]
    np.testing.assert_allclose(a["weight"], expected, rtol=1e-12)
    record = [rec for rec in r.weight_records("all") if rec["node"] == "index"][0]
    assert record["ahp"]["cr"] == 0.0
    with pytest.raises(parkscore.SchemaError, match=r"node 'A': /weighting/method"):
        fw.update("A", weighting={"method": "entropie"})
