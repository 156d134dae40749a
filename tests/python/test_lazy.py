"""Python without copies (docs/python.md, "What a call costs"): a Result builds nothing until
asked, and what it builds then equals the engine's own records; to_dataset hands pandas'
float64 block to the Dataset without a copy on the Python side, and copies where it must."""

import json

import numpy as np
import pandas as pd
import pytest

import parkscore
from conftest import SOURCE_DIR
from parkscore._data import _value_matrix

JIANGSU = SOURCE_DIR / "examples" / "data" / "jiangsu-2023.csv"
GROUPS = ["level", "region", "city"]


@pytest.fixture(scope="module")
def jiangsu():
    return parkscore.evaluate("jiangsu-2021", JIANGSU, groups=GROUPS)


def file_nodes(framework):
    """node id -> (name, depth), read from the framework's JSON text (the file writer's path)."""
    out = {}

    def walk(node, depth):
        out[node["id"]] = (node.get("name", node["id"]), depth)
        for child in node.get("children", []):
            walk(child, depth + 1)

    walk(json.loads(parkscore.to_json(framework))["index"], 0)
    return out


def test_a_result_builds_nothing_until_asked():
    r = parkscore.evaluate("jiangsu-2021", JIANGSU, groups=GROUPS)
    assert set(vars(r)) == {"_raw", "data", "_run"}
    r.scores("level", names=True)
    # Table headers come from the compiled result: no framework copy was made for them.
    assert "framework" not in vars(r)
    assert r.framework == parkscore.load_preset("jiangsu-2021")
    assert r.framework is r.framework   # one copy, made on first access


def test_headers_are_the_framework_files(jiangsu):
    nodes = file_nodes(jiangsu.framework)
    assert sorted(jiangsu.raw.node_ids) == sorted(nodes)
    assert jiangsu.raw.node_ids == jiangsu.framework.node_ids
    assert jiangsu.raw.indicator_ids == jiangsu.framework.indicator_ids
    for node, name, depth in zip(jiangsu.raw.node_ids, jiangsu.raw.node_names, jiangsu.raw.node_depths):
        assert (name, depth) == nodes[node]
    for level in range(4):
        expected = [n for n in jiangsu.framework.node_ids if nodes[n][1] == level]
        assert list(jiangsu.scores("level", level=level).columns) == expected
        assert list(jiangsu.ranks("level", level=level, names=True).columns) == [nodes[n][0] for n in expected]
    # level 0 is the index alone; Jiangsu's 5 categories are level 1.
    assert list(jiangsu.scores(level=0).columns) == ["index"]
    assert len(jiangsu.scores(level=1).columns) == 5
    picked = jiangsu.scores("region", nodes=["C4", "ECO"], names=True)
    assert list(picked.columns) == [nodes["C4"][0], nodes["ECO"][0]]
    with pytest.raises(parkscore.SchemaError, match="no node with id 'nope'"):
        jiangsu.scores(nodes=["nope"])


def test_tables_equal_the_engines_step_tables(jiangsu):
    steps = jiangsu.tables()   # written by the C++ table writer, not through the Result's headers
    assert jiangsu.groupings == ["level", "all", "region"]
    for grouping in jiangsu.groupings:
        for name, table in (("scores", jiangsu.scores), ("ranks", jiangsu.ranks), ("normalised", jiangsu.normalised)):
            got = table(grouping)
            expected = steps[name].xs(grouping, level="grouping").droplevel("label")
            assert list(got.index) == jiangsu.unit_ids == list(expected.index)
            assert list(got.columns) == list(expected.columns)
            # Bit for bit: the same doubles, NaN where not ranked.
            assert np.array_equal(got.to_numpy().view(np.int64), expected.to_numpy().view(np.int64)), (grouping, name)
        labels = steps["scores"].xs(grouping, level="grouping").index.get_level_values("label")
        assert list(jiangsu.labels(grouping)) == list(labels)


def test_record_fields_convert_without_json(two_category_framework):
    fw = two_category_framework
    fw.update("index", weighting={"method": "ahp", "matrix": [[1, 3], ["1/3", 1]]})
    fw.update("a1", imputation={"method": "mean"})
    fw.update("b1", treatment={"method": "winsorise", "lower_quantile": 0.25, "upper_quantile": 0.75})
    nodes = {n["id"]: n for n in fw.nodes}
    # As json.loads of the file text gave them: floats stay floats (1.0, not 1), keys in file order.
    assert nodes["index"]["weighting"] == {"method": "ahp", "matrix": [[1.0, 3.0], [1 / 3, 1.0]]}
    assert type(nodes["index"]["weighting"]["matrix"][0][0]) is float
    assert nodes["a1"]["imputation"] == {"method": "mean"}
    assert nodes["a2"]["imputation"] is None
    assert list(nodes["b1"]["treatment"]) == ["method", "lower_quantile", "upper_quantile"]
    assert nodes["b1"]["treatment"]["upper_quantile"] == 0.75


def frame_of(values: dict, ids=("a", "b", "c", "d")) -> pd.DataFrame:
    frame = pd.DataFrame(values)
    frame.insert(0, "id", list(ids))
    return frame


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.array_equal(np.asarray(a, dtype=np.float64).view(np.int64),
                                                 np.asarray(b, dtype=np.float64).view(np.int64))


def test_the_float_block_passes_without_a_copy():
    raw = np.array([[1.5, 2.0, 3.0], [np.nan, 5.0, 6.25], [7.0, -8.0, 9.0], [10.0, 11.0, 0.0]])
    frame = pd.DataFrame(raw, columns=["x", "y", "z"])   # pandas keeps the 2-D array as its block
    frame.insert(0, "id", ["a", "b", "c", "d"])
    ids = list(frame["id"])
    block = _value_matrix(frame, ["x", "y", "z"], ids)
    assert np.shares_memory(block, raw) and np.shares_memory(block, frame["x"].to_numpy())
    assert same_bits(block, raw)
    # The Dataset holds its own copy (one, made in C++), with the same bits.
    data = parkscore.to_dataset(frame)
    assert same_bits(data.values, raw)
    assert not np.shares_memory(data.values, raw)
    frame.loc[0, "x"] = 99.0
    assert data.values[0, 0] == 1.5


@pytest.mark.parametrize("columns", [["z", "x", "y"], ["y", "z"], ["x"]])
def test_reordered_or_fewer_columns_are_one_take(columns):
    frame = frame_of({"x": [1.0, 2.0, np.nan, 4.0], "y": [0.1, 0.2, 0.3, 0.4], "z": [-1.0, 0.0, 1.0, 1e300]})
    block = _value_matrix(frame, columns, list(frame["id"]))
    expected = np.column_stack([frame[c].to_numpy() for c in columns])
    assert not any(np.shares_memory(block, frame[c].to_numpy()) for c in frame.columns[1:])
    assert same_bits(block, expected)
    assert same_bits(parkscore.to_dataset(frame, indicators=columns).values, expected)


def test_other_dtypes_convert_with_identical_values():
    frame = frame_of({"f32": np.array([0.1, 0.2, np.nan, 4.0], dtype=np.float32),
                      "i64": np.array([1, -2, 3, 2**40], dtype=np.int64),
                      "f64": [1.0, 2.0, 3.0, 4.0],
                      "nullable": pd.array([1, None, 3, 4], dtype="Int64"),
                      "text": ["1.5", None, "-2", "3e2"]})
    columns = ["f32", "i64", "f64", "nullable", "text"]
    block = _value_matrix(frame, columns, list(frame["id"]))
    assert not any(np.shares_memory(block, frame[c].to_numpy()) for c in ["f32", "i64", "f64"])
    expected = np.column_stack([frame["f32"].to_numpy().astype(np.float64), [1.0, -2.0, 3.0, 2.0**40],
                                [1.0, 2.0, 3.0, 4.0], [1.0, np.nan, 3.0, 4.0], [1.5, np.nan, -2.0, 300.0]])
    assert same_bits(block, expected)
    assert same_bits(parkscore.to_dataset(frame).values, expected)


def test_ids_names_and_labels_convert_as_text():
    frame = pd.DataFrame({"name": ["甲园", None, "丙园"], "level": pd.Categorical(["国家级", "省级", "国家级"]),
                          "x": [1.0, 2.0, 3.0]}, index=pd.Index([7, 8, 9], name="code"))
    data = parkscore.to_dataset(frame, groups=["level"])   # no id column: the index
    assert data.unit_ids == ["7", "8", "9"]
    assert data.unit_names == ["甲园", "8", "丙园"]   # a unit without a name is shown by its id
    assert data.group("level") == ["国家级", "省级", "国家级"]
    numpy_text = frame.assign(id=np.array(["u1", "u2", "u3"], dtype=object), name=np.array(["a", "b", "c"]))
    assert parkscore.to_dataset(numpy_text, groups=["level"]).unit_names == ["a", "b", "c"]
    with pytest.raises(parkscore.DataError, match="column 'level', unit '8': the label is missing"):
        parkscore.to_dataset(frame.assign(level=["国家级", None, "省级"]), groups=["level"])
    with pytest.raises(parkscore.DataError, match="column 'id': the unit id of row 3 is missing"):
        parkscore.to_dataset(frame.assign(id=["u1", "u2", np.nan]))
