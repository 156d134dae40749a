"""C++ errors arrive as parkscore.Error subclasses with the engine's message unchanged."""

import pytest

import parkscore


def test_hierarchy():
    for cls in (parkscore.SchemaError, parkscore.DataError, parkscore.MethodError):
        assert issubclass(cls, parkscore.Error) and issubclass(cls, ValueError)
    assert not issubclass(parkscore.Error, ValueError)
    assert parkscore.SchemaError.__module__ == "parkscore"


def test_schema_errors(two_category_framework, tmp_path):
    with pytest.raises(parkscore.SchemaError) as e:
        two_category_framework.add_indicator("A", "a1")
    assert str(e.value) == "duplicate node id 'a1'"
    with pytest.raises(ValueError, match=r"node 'a1': unknown direction 'up' \(expected one of: higher, lower\)"):
        two_category_framework.update("a1", direction="up")
    with pytest.raises(parkscore.SchemaError, match="node 'A': unknown field 'direction' for a category"):
        two_category_framework.update("A", direction="lower")
    with pytest.raises(parkscore.SchemaError, match="node 'a1': field 'weight' cannot take the value 'heavy'"):
        two_category_framework.update("a1", weight="heavy")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "parkscore-framework", "version": 1, "id": "x", "colour": 1}', encoding="utf-8")
    with pytest.raises(parkscore.SchemaError, match="bad.json"):
        parkscore.load_framework(bad)


def test_data_errors_carry_the_cpp_message(two_category_framework, four_units):
    with pytest.raises(parkscore.DataError) as e:
        parkscore.evaluate(two_category_framework, four_units, excluded={"nobody": "x"})
    assert str(e.value) == "excluded unit 'nobody' is not in the data"  # as in tests/engine/test_evaluate.cpp
    two_category_framework.add_indicator("B", "b2")
    with pytest.raises(parkscore.DataError, match="indicator\\(s\\) b2 have no column"):
        parkscore.evaluate(two_category_framework, four_units)


def test_data_errors_from_the_frame(two_category_framework, four_units):
    frame = four_units.astype({"a1": object})
    frame.loc[2, "a1"] = "n/a?"
    with pytest.raises(parkscore.DataError, match="column 'a1', unit 'u3': 'n/a\\?' is not a number"):
        parkscore.evaluate(two_category_framework, frame)
    with pytest.raises(parkscore.DataError, match="grouping column 'region' is not in the data"):
        parkscore.evaluate(two_category_framework, four_units, groups=["region"])
    frame = four_units.copy()
    frame.loc[1, "level"] = None
    with pytest.raises(parkscore.DataError, match="column 'level', unit 'u2': the label is missing"):
        parkscore.evaluate(two_category_framework, frame, pools=["level"])


def test_csv_errors_name_line_and_column(tmp_path, two_category_framework):
    path = tmp_path / "data.csv"
    path.write_text("id,a1,a2,b1\nu1,1,2,3\nu2,x,2,3\n", encoding="utf-8")
    with pytest.raises(parkscore.DataError) as e:
        parkscore.read_csv(path)
    assert "data.csv:3: column 'a1' (column 2), unit 'u2': 'x' is not a number" in str(e.value)


def test_method_error(four_units):
    fw = parkscore.Framework("index", "rescaled")
    fw.update("index", rescale="best_is_100")
    fw.add_indicator("index", "a1", normalisation="none")
    frame = four_units[["id", "a1"]].assign(a1=[0.0, -1, -2, -3])
    with pytest.raises(parkscore.MethodError, match="best_is_100 rescaling needs a positive best score"):
        parkscore.evaluate(fw, frame)


def test_unknown_preset_lists_names():
    with pytest.raises(parkscore.SchemaError):
        parkscore.load_preset("no-such-preset")


def test_read_wide_threads_change_nothing(tmp_path):
    # About 3 MB: two parts of at least 1 MB with two threads, one with one thread.
    path = tmp_path / "wide.csv"
    rows = [f"u{i},{'national' if i % 3 == 0 else 'provincial'},{i * 7919 % 100003 / 100},{-(i % 13) / 1000}"
            for i in range(120000)]
    path.write_text("id,level,a,b\n" + "\n".join(rows) + "\n", encoding="utf-8")
    one = parkscore._core.read_wide(path, group_columns=["level"], threads=1)
    two = parkscore._core.read_wide(path, group_columns=["level"], threads=2)
    assert one.unit_ids == two.unit_ids and one.unit_ids[-1] == "u119999"
    assert one.group("level") == two.group("level")
    assert one.values.tobytes() == two.values.tobytes()
    assert one.values[-1, 0] == 119999 * 7919 % 100003 / 100   # the same decimal text, read back
