"""Data preparation from Python: the numbers of tests/prepare/test_treat.cpp, and the record of an evaluation."""

import math

import numpy as np
import pandas as pd
import pytest

import parkscore


def test_skewness_and_kurtosis_as_excel():
    # x = 1, 2, 3, 4, 10: SKEW = 6 / sqrt(12.5) = 1.2 sqrt(2); KURT = 1.25 * 8.9216 - 8 = 3.152
    assert parkscore.skewness([1, 2, 3, 4, 10]) == pytest.approx(1.2 * math.sqrt(2))
    assert parkscore.kurtosis([1, 2, 3, 4, 10]) == pytest.approx(3.152)
    assert parkscore.skewness([1, np.nan, 2, 3, 4, 10]) == pytest.approx(1.2 * math.sqrt(2))
    assert math.isnan(parkscore.kurtosis([5, 5, 5, 5]))
    assert parkscore.kurtosis([1, 2, 3, 4, 5]) == pytest.approx(-1.2)


def test_jrc_rule_one_outlier_winsorised():
    x = pd.Series(list(range(1, 10)) + [100], index=[f"u{i}" for i in range(1, 11)], name="tax", dtype=float)
    assert parkscore.fails_outlier_rule(x)
    treated, r = parkscore.treat(x)
    assert treated["u10"] == 9 and (treated.iloc[:9] == x.iloc[:9]).all()
    assert r["failed_before"] and r["passes_after"] and r["applied"] == "winsorised"
    assert r["upper_cap"] == 9 and r["winsorised"] == 1
    assert r["points"] == [{"unit": "u10", "before": 100.0, "after": 9.0}]
    assert r["indicator"] == "tax"
    assert r["skew_before"] == pytest.approx(3.118895745239087)
    assert r["kurtosis_before"] == pytest.approx(9.799244716163663)
    assert r["skew_after"] == pytest.approx(-0.15146310708295874)
    assert r["kurtosis_after"] == pytest.approx(-1.35698491155047)


def test_jrc_rule_log_fallback():
    # 1..12, 100, 100 with a budget of one point: shifted log ln(x - 0.01)
    x = np.array(list(range(1, 13)) + [100, 100], dtype=float)
    treated, r = parkscore.treat(x, max_winsorised=1)
    assert r["applied"] == "shifted_log" and r["winsorised"] == 0
    assert treated.iloc[0] == pytest.approx(math.log(0.99))
    assert r["skew_after"] == pytest.approx(0.8143551865601766)
    with pytest.raises(parkscore.SchemaError):
        parkscore.treat(x, method="box_cox")   # needs lambda_


def test_evaluation_records_imputation_and_treatment(two_category_framework, four_units):
    fw = two_category_framework
    fw.update("a1", imputation={"method": "mean"})
    fw.update("b1", treatment={"method": "winsorise", "lower_quantile": 0.25, "upper_quantile": 0.75})
    assert fw.node("a1")["imputation"] == {"method": "mean"}
    data = four_units.copy()
    data.loc[1, "a1"] = np.nan   # u2: mean of 0, 20, 40 = 20
    r = parkscore.evaluate(fw, data, pools=["all"])
    mask = r.imputed("all")
    assert mask.dtypes.eq(bool).all() and list(mask.columns) == ["a1", "a2", "b1"]
    assert mask.loc["u2", "a1"] and mask.to_numpy().sum() == 1
    cells = r.imputations("all")
    assert cells.loc[0, "unit"] == "u2" and cells.loc[0, "value"] == pytest.approx(20)
    t = r.treatments("all").set_index("indicator")
    # b1 = 2, 4, 6, 8: type-7 quantiles 3.5 and 6.5
    assert t.loc["b1", "applied"] == "winsorised"
    assert t.loc["b1", "lower_cap"] == pytest.approx(3.5) and t.loc["b1", "upper_cap"] == pytest.approx(6.5)
    assert r.screened_out.empty


def test_previous_year_for_carry_forward(two_category_framework, four_units):
    fw = two_category_framework
    fw.update("a1", imputation={"method": "carry_forward"})
    data = four_units.copy()
    data.loc[1, "a1"] = np.nan
    previous = four_units.copy()
    previous.loc[1, "a1"] = 7.0
    r = parkscore.evaluate(fw, data, pools=["all"], previous=previous)
    assert r.imputations("all").loc[0, "value"] == pytest.approx(7.0)
    with pytest.raises(parkscore.DataError):
        parkscore.evaluate(fw, data, pools=["all"])
