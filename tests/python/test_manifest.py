"""Result.manifest, parkscore.rerun and Result.tables (docs/manifest.md); the property/method rule
of docs/python.md."""

import inspect
import json

import numpy as np
import pandas as pd
import pytest

import parkscore


def bits(frame: pd.DataFrame) -> bytes:
    return np.ascontiguousarray(frame.to_numpy(dtype=np.float64)).tobytes()


def test_rerun_from_a_csv_path_reproduces_bit_for_bit(tmp_path, demo_framework_path, demo_csv):
    r = parkscore.evaluate(demo_framework_path, demo_csv, pools=["all", "level"], excluded={"D02": "review"})
    path = tmp_path / "run.json"
    text = r.manifest(path)
    m = json.loads(text)
    assert m["data"]["reader"] == "wide" and m["data"]["sha256"] == parkscore._core.file_sha256(demo_csv)
    assert m["options"]["excluded"] == {"D02": "review"}
    again = parkscore.rerun(path)
    for g in ("all", "level"):
        assert bits(again.scores(g)) == bits(r.scores(g))
        assert bits(again.ranks(g)) == bits(r.ranks(g))
    assert again.manifest() == text   # the re-run records the same run


def test_rerun_of_data_in_memory_needs_the_same_data(tmp_path, two_category_framework, four_units):
    r = parkscore.evaluate(two_category_framework, four_units, pools=["level"])
    path = tmp_path / "memory.json"
    r.manifest(path)
    with pytest.raises(parkscore.DataError, match="built in memory"):
        parkscore.rerun(path)
    again = parkscore.rerun(path, data=four_units)
    assert bits(again.scores("level")) == bits(r.scores("level"))
    changed = four_units.assign(a1=[0.0, 10, 20, 41])
    with pytest.raises(parkscore.DataError, match="differ from the run's"):
        parkscore.rerun(path, data=changed)


def test_tables_are_dataframes_of_every_step(two_category_framework, four_units):
    r = parkscore.evaluate(two_category_framework, four_units.assign(a1=[0.0, np.nan, 20, 40]), pools=["all"])
    tables = r.tables()
    assert list(tables) == ["raw", "derived", "imputed", "imputed_flags", "treatment", "treated", "treated_points",
                            "normalisation", "normalised", "weights", "contributions", "scores", "ranks"]
    assert tables["raw"].index.name == "unit" and np.isnan(tables["raw"].loc["u2", "a1"])
    assert tables["imputed_flags"].dtypes.eq(bool).all()   # no imputation declared: nothing filled
    assert not tables["imputed_flags"].to_numpy().any()
    scores = tables["scores"].xs("all", level="grouping").droplevel("label")
    np.testing.assert_array_equal(scores.to_numpy(), r.scores("all").to_numpy())
    norm = tables["normalisation"].reset_index()
    a1 = norm[norm["indicator"] == "a1"].iloc[0]
    assert (a1["min"], a1["max"], a1["count"]) == (0, 40, 3)   # u2 missing


def test_data_are_properties_and_choices_methods(two_category_framework, four_units):
    r = parkscore.evaluate(two_category_framework, four_units)
    for name in ("notes", "warnings", "rules", "adjustment_lines", "preparation", "screened_out"):
        assert isinstance(getattr(type(r), name), property), name
    assert isinstance(r.notes, pd.DataFrame) and isinstance(r.warnings, pd.DataFrame)
    assert isinstance(r.pool().normalisation, list) and isinstance(r.pool().weights, list)
    assert callable(r.scores) and callable(r.ranks) and callable(r.tables)
    fw = two_category_framework
    for name in ("nodes", "node_ids", "indicator_ids", "weight_set_names"):
        assert isinstance(inspect.getattr_static(type(fw), name), property), name
    assert fw.indicator_ids == ["a1", "a2", "b1"] and fw.node_ids[0] == "index"
