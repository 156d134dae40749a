"""DataFrames in and out: Chinese column names, round trips, the CSV reader."""

import numpy as np
import pandas as pd
import pytest

import parkscore


def chinese_framework():
    fw = parkscore.Framework("综合得分", "开发区综合评价")
    fw.add_category("综合得分", "经济发展", weight=2)
    fw.add_indicator("经济发展", "地区生产总值", unit="亿元")
    fw.add_indicator("经济发展", "单位能耗", direction="lower")
    fw.add_category("综合得分", "创新驱动", weight=1)
    fw.add_indicator("创新驱动", "研发投入")
    return fw


@pytest.fixture
def chinese_frame():
    # The four_units numbers under Chinese headers: same scores as the hand-computed case.
    return pd.DataFrame({"园区编号": ["甲", "乙", "丙", "丁"], "园区名称": ["甲园", "乙园", "丙园", "丁园"],
                         "级别": ["国家级", "省级", "国家级", "省级"], "地区生产总值": [0.0, 10, 20, 40],
                         "单位能耗": [5.0, 1, 3, 1], "研发投入": [2.0, 4, 6, 8]})


def test_chinese_names_in_and_out(chinese_frame):
    r = parkscore.evaluate(chinese_framework(), chinese_frame, id_column="园区编号", name_column="园区名称",
                           pools=["all", "级别"])
    scores = r.scores()
    assert list(scores.index) == ["甲", "乙", "丙", "丁"]
    assert list(scores.columns) == ["综合得分", "经济发展", "地区生产总值", "单位能耗", "创新驱动", "研发投入"]
    np.testing.assert_allclose(scores["综合得分"], [0, (125 + 100 / 3) / 3, (100 + 200 / 3) / 3, 100])
    assert list(r.normalised().columns) == ["地区生产总值", "单位能耗", "研发投入"]
    assert list(r.labels("级别")) == ["国家级", "省级", "国家级", "省级"]
    assert r.unit_names["乙"] == "乙园"
    assert list(r.table("级别").index) == ["丙", "甲", "丁", "乙"]


def test_dataset_round_trip(chinese_frame):
    data = parkscore.to_dataset(chinese_frame, id_column="园区编号", name_column="园区名称", groups=["级别"])
    assert data.indicator_ids == ["地区生产总值", "单位能耗", "研发投入"]
    back = parkscore.to_frame(data, id_column="园区编号", name_column="园区名称")
    pd.testing.assert_frame_equal(back, chinese_frame.set_index("园区编号"))


def test_csv_round_trip(tmp_path, chinese_frame):
    path = tmp_path / "数据.csv"
    chinese_frame.to_csv(path, index=False, encoding="utf-8-sig")  # with BOM, as Excel writes
    frame = parkscore.read_csv(path, id_column="园区编号", name_column="园区名称", groups=["级别"])
    pd.testing.assert_frame_equal(frame, chinese_frame.set_index("园区编号"))
    renamed = parkscore.read_csv(path, id_column="园区编号", name_column="园区名称", groups=["级别"],
                                 rename={"研发投入": "rd"})
    assert list(renamed.columns)[-1] == "rd"


def test_missing_values_and_text_columns(chinese_frame):
    frame = chinese_frame.assign(地址=["a", "b", "c", "d"])
    frame.loc[1, "地区生产总值"] = None
    r = parkscore.evaluate(chinese_framework(), frame, id_column="园区编号", name_column="园区名称")
    # 乙 has no GDP: 单位能耗 alone carries 经济发展 = 100; index = (2*100 + 33.3)/3
    assert r.score("乙") == pytest.approx((200 + 100 / 3) / 3)
    assert r.coverage().loc["乙", "综合得分"] == 2


def test_node_table_with_chinese_ids():
    table = parkscore.node_table(chinese_framework())
    assert table.loc["地区生产总值", "unit"] == "亿元"
    assert table.loc["经济发展", "parent"] == "综合得分"
    assert table.loc["研发投入", "depth"] == 2


def test_to_dataset_takes_the_float_block_whole():
    from parkscore._data import _value_matrix

    frame = pd.DataFrame({"id": ["a", "b", "c"], "x": [1.0, 2.0, np.nan], "y": [4.0, 5.0, 6.0]})
    block = _value_matrix(frame, ["x", "y"], ["a", "b", "c"])
    # The frame's own float64 storage, viewed column-major: no copy.
    assert block.flags["F_CONTIGUOUS"]
    assert np.shares_memory(block, frame._mgr.blocks[-1].values)
    np.testing.assert_array_equal(block, [[1, 4], [2, 5], [np.nan, 6]])
    # Some of the block's columns, reordered: one take; integer and text columns convert as before.
    np.testing.assert_array_equal(_value_matrix(frame, ["y", "x"], ["a", "b", "c"]), [[4, 1], [5, 2], [6, np.nan]])
    mixed = frame.assign(n=[7, 8, 9], t=["1.5", None, "2"])
    data = parkscore.to_dataset(mixed)
    assert data.indicator_ids == ["x", "y", "n", "t"]
    np.testing.assert_array_equal(data.values, [[1, 4, 7, 1.5], [2, 5, 8, np.nan], [np.nan, 6, 9, 2]])
    with pytest.raises(parkscore.DataError, match="column 't', unit 'b': 'oops' is not a number"):
        parkscore.to_dataset(mixed.assign(t=["1", "oops", "2"]))
