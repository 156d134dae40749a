"""Python reads office files by the CLI's rules (issue 11): encoding, headers by name, labels, years, ids;
and columns pandas would silently misread (None ids, dates, complex numbers) are errors naming the column."""
import datetime
import warnings

import numpy as np
import pandas as pd
import pytest

import parkscore

DEMO_GBK_TEXT = (
    "园区编号,名称,level,地区生产总值,税收收入,实际使用外资,单位工业增加值能耗,亩均税收,年份\n"
    "D01 ,示范园区甲,国家级,820.5,96.1,7.2,0.31,48.5,2023\n"
    "Ｄ０２,示范园区乙,national,455.0,51.3,3.9,0.42,31.0,2023\n"
    "D03,示范园区丙,省级,210.8,22.4,1.1,0.55,18.2,2023\n"
)


def test_read_csv_with_encoding_and_framework(tmp_path, demo_framework_path):
    fw = parkscore.load_framework(demo_framework_path)
    fw_labels = {"level": {"国家级": "national", "省级": "provincial"}}
    path = tmp_path / "zones.csv"
    path.write_bytes(DEMO_GBK_TEXT.encode("gbk"))
    with pytest.raises(parkscore.DataError, match="gb18030"):
        parkscore.read_csv(path, framework=fw, id_column="园区编号")  # not UTF-8: the message names the encoding
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = parkscore.read_csv(path, framework=fw, encoding="gbk", id_column="园区编号", name_column="名称",
                                   labels=fw_labels)
    # Ids cleaned (space, full-width digits), Chinese headers matched to the indicator ids, labels mapped.
    assert list(frame.index) == ["D01", "D02", "D03"]
    assert list(frame["level"]) == ["national", "national", "provincial"]
    assert frame.loc["D02", "gdp"] == 455.0
    assert frame.attrs["year"] == "2023"
    assert any("2 text cells" in str(w.message) for w in caught)
    # The plain reader takes an encoding too.
    plain = parkscore.read_csv(path, encoding="gb18030", id_column="园区编号", name_column="名称",
                               groups=["level", "年份"])
    assert plain.loc["D03", "地区生产总值"] == 210.8


def test_read_csv_unmatched_headers_suggest_the_closest(tmp_path, demo_framework_path):
    fw = parkscore.load_framework(demo_framework_path)
    path = tmp_path / "zones.csv"
    path.write_text("id,level,地区生产总值,税收,fdi,energy,land_tax\nD01,national,1,2,3,4,5\n", encoding="utf-8")
    with pytest.raises(parkscore.DataError, match=r"'税收' \(closest: tax 税收收入"):
        parkscore.read_csv(path, framework=fw)


def test_none_ids_dates_and_complex_columns_are_errors_naming_the_column():
    frame = pd.DataFrame({"id": ["a", None], "x": [1.0, 2.0]})
    with pytest.raises(parkscore.DataError, match=r"column 'id': the unit id of row 2 is missing"):
        parkscore.to_dataset(frame)
    frame = pd.DataFrame({"id": ["a", "b"], "when": pd.to_datetime(["2023-01-01", "2023-06-30"])})
    with pytest.raises(parkscore.DataError, match=r"column 'when': holds dates or times"):
        parkscore.to_dataset(frame)
    frame = pd.DataFrame({"id": ["a", "b"], "z": np.array([1 + 2j, 3 + 0j])})
    with pytest.raises(parkscore.DataError, match=r"column 'z': holds complex numbers"):
        parkscore.to_dataset(frame)
    frame = pd.DataFrame({"id": ["a", "b"], "d": [datetime.date(2023, 1, 1), 2.0]})
    with pytest.raises(parkscore.DataError, match=r"column 'd': holds date values"):
        parkscore.to_dataset(frame)
