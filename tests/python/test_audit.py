"""parkscore.audit: the handbook's checks as DataFrames, recomputed here with pandas and numpy
from the result's own tables (docs/audit.md gives the formulas)."""

import numpy as np
import pandas as pd
import pytest

import parkscore


@pytest.fixture(scope="module")
def demo(request):
    from conftest import SOURCE_DIR
    return parkscore.evaluate(SOURCE_DIR / "docs" / "examples" / "demo-framework.json",
                              SOURCE_DIR / "examples" / "data" / "demo.csv")


@pytest.fixture(scope="module")
def raw(demo):
    from conftest import SOURCE_DIR
    return pd.read_csv(SOURCE_DIR / "examples" / "data" / "demo.csv").set_index("id")


@pytest.fixture(scope="module")
def checks(demo):
    return parkscore.audit(demo, "all")


INDICATORS = ["gdp", "tax", "fdi", "energy", "land_tax"]


def test_correlations_equal_pandas_on_the_normalised_values(demo, checks):
    # every unit is ranked (no veto), so the analysed units are all six; pairs with D04's missing fdi dropped
    x = demo.normalised("all")[INDICATORS]
    assert list(checks.pearson.index) == INDICATORS and list(checks.pearson.columns) == INDICATORS
    np.testing.assert_allclose(checks.pearson.to_numpy(), x.corr().to_numpy(), atol=1e-12)
    np.testing.assert_allclose(checks.spearman.to_numpy(), x.corr(method="spearman").to_numpy(), atol=1e-12)
    index = demo.scores("all")["index"]   # points scale, no bonus: a positive multiple of the mean-scale score
    for ind in INDICATORS:
        assert checks.indicators.at[ind, "pearson_index"] == pytest.approx(x[ind].corr(index), abs=1e-12)
        assert checks.indicators.at[ind, "spearman_index"] == pytest.approx(x[ind].corr(index, method="spearman"),
                                                                             abs=1e-12)
    eco = demo.scores("all")["ECO"]
    assert checks.indicators.at["gdp", "pearson_parent"] == pytest.approx(x["gdp"].corr(eco), abs=1e-12)


def test_coverage_variation_and_shape_from_the_raw_values(raw, checks):
    ind = checks.indicators
    assert ind.at["fdi", "present"] == 5 and ind.at["fdi", "units"] == 6
    assert ind.at["fdi", "missing_share"] == pytest.approx(1 / 6)
    assert not ind["many_missing"].any()   # 1/6 < 0.2
    for name in INDICATORS:
        col = raw[name].dropna()
        assert ind.at[name, "mean"] == pytest.approx(col.mean(), rel=1e-12)
        assert ind.at[name, "sd"] == pytest.approx(col.std(ddof=1), rel=1e-12)
        assert ind.at[name, "cv"] == pytest.approx(abs(col.std(ddof=1) / col.mean()), rel=1e-12)
        # pandas' skew and kurt are Excel's SKEW and KURT (bias-corrected); the demo has no treatment or
        # imputation, so the values after equal those before
        assert checks.distribution.at[name, "skew_before"] == pytest.approx(col.skew(), rel=1e-10)
        assert checks.distribution.at[name, "kurtosis_before"] == pytest.approx(col.kurt(), rel=1e-10)
        assert checks.distribution.at[name, "skew_after"] == pytest.approx(col.skew(), rel=1e-10)
    assert list(checks.distribution.columns) == ["skew_before", "kurtosis_before", "skew_after", "kurtosis_after"]
    cov = checks.coverage
    assert cov.at["D04", "present"] == 4 and cov.at["D04", "total"] == 5 and cov.at["D04", "share"] == pytest.approx(0.8)
    assert (cov.drop("D04")["share"] == 1.0).all()


def cronbach(frame):
    k = frame.shape[1]
    return k / (k - 1) * (1 - frame.var(ddof=1).sum() / frame.sum(axis=1).var(ddof=1))


def test_alpha_and_pca_per_category(demo, checks):
    x = demo.normalised("all")
    eco = x[["gdp", "tax", "fdi"]].dropna()    # complete rows: D04 (no fdi) left out
    assert len(eco) == 5
    assert checks.alpha["ECO"] == pytest.approx(cronbach(eco), rel=1e-12)
    assert checks.alpha["GRN"] == pytest.approx(cronbach(x[["energy", "land_tax"]]), rel=1e-12)
    # the index's children are the categories' mean-scale scores: shown points / (share x 100 / 100)
    s = demo.scores("all")
    cats = pd.DataFrame({"ECO": s["ECO"] / 0.6, "GRN": s["GRN"] / 0.4})
    assert checks.alpha["index"] == pytest.approx(cronbach(cats), rel=1e-10)

    values = np.sort(np.linalg.eigvalsh(eco.corr().to_numpy()))[::-1]
    got = checks.eigenvalues.loc["ECO"]
    assert list(got.index) == [1, 2, 3]
    np.testing.assert_allclose(got["eigenvalue"].to_numpy(), values, atol=1e-12)
    np.testing.assert_allclose(got["explained"].to_numpy(), values / values.sum(), atol=1e-12)
    load = checks.loadings["ECO"]
    assert list(load.index) == ["gdp", "tax", "fdi"] and list(load.columns) == ["PC1", "PC2", "PC3"]
    # loadings = eigenvector x sqrt(eigenvalue): each column's squares add up to its eigenvalue,
    # each row's to 1 (an indicator's variance is fully explained by all components)
    np.testing.assert_allclose((load ** 2).sum(axis=0).to_numpy(), values, atol=1e-12)
    np.testing.assert_allclose((load ** 2).sum(axis=1).to_numpy(), np.ones(3), atol=1e-12)
    for c in load.columns:   # the largest absolute loading is positive
        assert load[c].abs().idxmax() == load[c].idxmax()


def test_rank_reversal_and_invariance(checks):
    rr = checks.rank_reversal
    assert list(rr.index) == ["add_median_unit", "remove_best_unit", "clone_best_unit", "worsen_last_unit"]
    # pairs of untouched units: 6 units -> 15 pairs when one is added, 5 -> 10 when the best leaves or the last changes
    assert rr["pairs"].tolist() == [15, 10, 15, 10]
    assert ((rr["reversed"] >= 0) & (rr["reversed"] <= rr["pairs"])).all()
    # efficacy (min-max between pool extremes) is pool-relative: not invariant by construction
    assert not checks.invariance["invariant"].all()
    assert "efficacy" in " ".join(checks.invariance["method"])


def test_label_thresholds_and_errors(demo):
    provincial = parkscore.audit(demo, "level", label="provincial", rank_reversal=False)
    assert provincial.units == 4 and provincial.grouping == "level" and provincial.label == "provincial"
    assert provincial.rank_reversal.empty
    strict = parkscore.audit(demo, "all", missing_share=0.1, rank_reversal=False)
    assert strict.indicators["many_missing"].tolist() == [False, False, True, False, False]   # fdi: 1/6 > 0.1
    assert "Audit" in repr(strict)
    bare = parkscore.Result(demo.raw)
    with pytest.raises(parkscore.DataError, match="needs the evaluated data"):
        parkscore.audit(bare)
