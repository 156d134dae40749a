"""Issue 11: real files from real offices. Each silent misread of the issue, reproduced: it now gives the right
ranking or a clear error. Run through ctest (cli.pytest) with the other CLI tests."""
import csv
import io
import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("PARKSCORE_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BIN = str(Path(os.environ.get("PARKSCORE_BIN", ROOT / "build" / "cli" / "parkscore")).resolve())
DATA = ROOT / "examples" / "data"
JIANGSU = [DATA / f"jiangsu-{y}.csv" for y in (2021, 2022, 2023)]
PRESET = json.loads((ROOT / "presets" / "jiangsu-2021.json").read_text(encoding="utf-8"))


def run(*args, cwd=None):
    env = dict(os.environ)
    p = subprocess.run([BIN, *map(str, args)], capture_output=True, cwd=cwd, env=env)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def indicators():
    """id -> indicator node of the preset."""
    out = {}

    def walk(n):
        for c in n.get("children", []):
            walk(c)
        if "children" not in n:
            out[n["id"]] = n

    walk(PRESET["index"])
    return out


def ranking(csv_text):
    """id -> (pool, rank, total) of a `score --format csv` output."""
    rows = csv.DictReader(io.StringIO(csv_text, newline=""))
    return {r["id"]: (r["pool"], r["rank"], float(r["index"]) if r["index"] else None) for r in rows}


def same_ranking(a, b):
    assert a.keys() == b.keys()
    for unit in a:
        assert a[unit][:2] == b[unit][:2], unit
        assert (a[unit][2] is None) == (b[unit][2] is None) and (a[unit][2] is None or abs(a[unit][2] - b[unit][2]) < 1e-9)


def office_table(source, percent_sign=True, level_labels=True):
    """The example file as an office exports it: Chinese headers, growth rates and shares as `12.5%`, money in 万元
    with thousands separators, zone types 省级/国家级."""
    nodes = indicators()
    events = {e["id"]: e["name"] for e in PRESET["events"]}
    with open(source, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    header, columns = [], []
    for column in rows[0].keys():
        if column == "city":
            continue
        if column == "id":
            header.append("开发区代码")
        elif column == "name":
            header.append("开发区名称")
        elif column == "level":
            header.append("开发区类别")
        elif column == "region":
            header.append("所在区域")
        elif column in events:
            header.append(events[column])
        else:
            node = nodes[column]
            header.append(node["name"] + ("（万元）" if node.get("unit") == "亿元" else ""))
        columns.append(column)
    out = [header]
    for row in rows:
        cells = []
        for column in columns:
            v = row[column]
            node = nodes.get(column)
            if column == "level" and level_labels:
                v = {"provincial": "省级", "national": "国家级"}[v]
            elif node and v and node.get("scale") == "fraction":
                points = Decimal(v) * 100
                v = f"{points.normalize():f}" + ("%" if percent_sign else "")
            elif node and v and node.get("unit") == "亿元":
                v = f"{Decimal(v) * 10000:,f}"
            cells.append(v)
        out.append(cells)
    return out


def write_csv(path, table, encoding="utf-8"):
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerows(table)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


# --- 1. percent cells ------------------------------------------------------------------------------------------


def test_gbk_file_with_chinese_headers_and_percent_cells_ranks_as_the_fraction_data(tmp_path):
    office = write_csv(tmp_path / "开发区2023.csv", office_table(JIANGSU[2]), encoding="gbk")
    rc, expected, err = run("score", "jiangsu-2021", JIANGSU[2], "--ignore-extra", "--pool", "level", "--format", "csv")
    assert rc == 0, err
    # No mapping file: the headers are the preset's own indicator names; 开发区类别 / 省级 map to level / provincial.
    rc, out, err = run("score", "jiangsu-2021", office, "--encoding", "gbk", "--id-column", "开发区代码",
                       "--name-column", "开发区名称", "--pool", "level", "--format", "csv")
    assert rc == 0, err
    same_ranking(ranking(out), ranking(expected))
    assert "provincial" in out and "省级" not in out
    assert "clipping" not in err  # the growth rates are read as fractions: few clipped


def test_percent_points_without_the_sign_are_a_warning_naming_the_column(tmp_path):
    office = write_csv(tmp_path / "zones-2023.csv", office_table(JIANGSU[2], percent_sign=False))
    rc, out, err = run("score", "jiangsu-2021", office, "--id-column", "开发区代码", "--name-column", "开发区名称",
                       "--pool", "level", "--format", "json")
    assert rc == 0, err
    doc = json.loads(out)
    warnings = "\n".join(doc["warnings"]) + err
    assert re.search(r"indicator 'E1_growth' is declared a fraction \(0\.125 = 12\.5%\), but \d+ of its \d+ values are "
                     r"above 1", err)
    # The growth cap then moves most values of the pool: said per indicator and pool, with the count.
    assert re.search(r"E1_growth \(level=provincial\): clipping to \[-0\.2, 0\.5\] changes \d+ of \d+ values", warnings)


# --- 2. year order and duplicate years -----------------------------------------------------------------------------

WATCH = [
    "P065 示例开发区092 (synthetic) (provincial): in the last 3 in 2022, 2023, 2024; place 90 in 2024",
    "P083 示例开发区110 (synthetic) (provincial): in the last 3 in 2022, 2023; place 88 in 2024",
    "P077 示例开发区104 (synthetic) (provincial): in the last 3 in 2022, 2023; place 86 in 2024",
]


def watch_lines(out):
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Delisting watch"))
    return [line.strip() for line in lines[start + 1:] if line.strip() and not line.strip().startswith("Data years")]


def test_files_given_newest_first_are_sorted_by_year():
    args = ["--framework", "jiangsu-2021", "--pool", "level", "--rule", "jiangsu-2021", "--ignore-extra"]
    rc, oldest_first, err = run("compare", *JIANGSU, *args)
    assert rc == 0, err
    rc, newest_first, err = run("compare", *reversed(JIANGSU), *args)
    assert rc == 0, err
    assert newest_first == oldest_first
    assert watch_lines(newest_first) == WATCH
    assert "not given oldest first; they are taken in year order" in err
    assert ("Data years used: 2021 (jiangsu-2021.csv, file name), 2022 (jiangsu-2022.csv, file name), "
            "2023 (jiangsu-2023.csv, file name)") in newest_first


def test_the_same_file_twice_or_the_same_year_twice_is_an_error(tmp_path):
    rc, out, err = run("compare", "--framework", "jiangsu-2021", JIANGSU[1], JIANGSU[1], "--ignore-extra")
    assert rc == 1
    assert "have the same content" in err
    other = tmp_path / "2022" / "jiangsu-2022.csv"
    other.parent.mkdir()
    other.write_text(JIANGSU[1].read_text(encoding="utf-8").replace(",0.0675,", ",0.0676,"), encoding="utf-8")
    rc, out, err = run("compare", "--framework", "jiangsu-2021", JIANGSU[0], JIANGSU[1], other, "--ignore-extra")
    assert rc == 1
    assert "are both data year 2022 (file name, file name): give each year once" in err
    rc, out, err = run("compare", "--framework", "jiangsu-2021", JIANGSU[0], JIANGSU[1], "--year", "2021",
                       "--year", "2022.5", "--ignore-extra")
    assert rc == 1 and "'2022.5' is not a year" in err


def test_a_gap_is_a_warning_and_the_watch_says_which_years_it_used():
    rc, out, err = run("compare", "--framework", "jiangsu-2021", JIANGSU[0], JIANGSU[2], "--pool", "level",
                       "--rule", "jiangsu-2021", "--ignore-extra")
    assert rc == 0, err
    assert f"no data for the year 2022 between {JIANGSU[0]} and {JIANGSU[2]}" in err
    assert "No data for the evaluation year 2023: counted as no hit" in out


# --- 3. ids --------------------------------------------------------------------------------------------------------


def test_bom_and_spaces_around_ids_do_not_make_a_second_unit(tmp_path):
    text = JIANGSU[2].read_text(encoding="utf-8")
    text = text.replace("\nP001,", "\n P001 ,").replace("\nP002,", "\n\ufeffP002,").replace("\nN003,", "\nＮ００３,")
    later = tmp_path / "jiangsu-2023.csv"
    later.write_text(text, encoding="utf-8")
    args = ["--framework", "jiangsu-2021", "--pool", "level", "--ignore-extra", "--format", "csv"]
    rc, expected, err = run("compare", JIANGSU[1], JIANGSU[2], *args)
    assert rc == 0, err
    rc, out, err = run("compare", JIANGSU[1], later, *args)
    assert rc == 0, err
    assert out == expected
    assert ",left," not in out and ",new," not in out
    assert "3 text cells had white space, a byte-order mark or full-width characters" in err


def test_ids_equal_after_cleaning_within_a_file_are_an_error_naming_both_lines(tmp_path):
    lines = JIANGSU[2].read_text(encoding="utf-8").splitlines()
    lines.append(" " + lines[1])  # P... again, with a space
    bad = tmp_path / "jiangsu-2023.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rc, out, err = run("score", "jiangsu-2021", bad, "--ignore-extra")
    assert rc == 1
    unit = lines[1].split(",")[0]
    assert f"is the same as '{unit}' on line 2 once white space" in err


# --- 4. labels -----------------------------------------------------------------------------------------------------


def test_chinese_pool_labels_reach_the_delisting_rule(tmp_path):
    files = []
    for source in JIANGSU:
        text = source.read_text(encoding="utf-8").replace(",provincial,", ",省级,").replace(",national,", ",国家级,")
        files.append(tmp_path / source.name)
        files[-1].write_text(text, encoding="utf-8")
    rc, out, err = run("compare", "--framework", "jiangsu-2021", *files, "--pool", "level", "--rule", "jiangsu-2021",
                       "--ignore-extra")
    assert rc == 0, err
    assert watch_lines(out) == WATCH


def test_a_rule_that_matches_no_label_is_an_error_listing_the_labels(tmp_path):
    files = []
    for source in JIANGSU[1:]:
        text = source.read_text(encoding="utf-8").replace(",provincial,", ",省属,")
        files.append(tmp_path / source.name)
        files[-1].write_text(text, encoding="utf-8")
    rc, out, err = run("compare", "--framework", "jiangsu-2021", *files, "--pool", "level", "--rule", "jiangsu-2021",
                       "--ignore-extra")
    assert rc == 1
    assert "delisting rule 'jiangsu-2021' watches the pool provincial of 'level', but no unit has this label" in err
    assert "the labels found are: national, 省属" in err


# --- the project file --------------------------------------------------------------------------------------------


def test_init_writes_a_project_and_score_runs_it_without_arguments(tmp_path):
    office = tmp_path / "office"
    rc, out, err = run("init", "jiangsu-2021", "--dir", office, "--year", "2023")
    assert rc == 0, err
    for name in ("parkscore.json", "mapping.csv", "data-2023.csv", "data-2023-gbk.csv"):
        assert (office / name).exists(), name
    utf8 = (office / "data-2023.csv").read_bytes()
    assert utf8.startswith(b"\xef\xbb\xbf")
    header = utf8[3:].decode("utf-8").strip().split(",")
    assert (office / "data-2023-gbk.csv").read_bytes().decode("gb18030").strip().split(",") == header
    assert header[:4] == ["开发区代码", "开发区名称", "开发区类别", "所在区域"]
    assert "地区生产总值（亿元）" in header and "地区生产总值增速（%）" in header
    assert run("init", "jiangsu-2021", "--dir", office)[0] == 1  # no overwrite without --force

    # Fill the template from the example data (per-cent columns in points, as the header says).
    mapping = dict(row[:2] for row in csv.reader(io.StringIO((office / "mapping.csv").read_text(encoding="utf-8-sig")))
                   if row)
    with open(JIANGSU[2], encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fixed = {"开发区代码": "id", "开发区名称": "name", "开发区类别": "level", "所在区域": "region"}
    table = [header]
    for row in rows:
        cells = []
        for h in header:
            v = row[fixed.get(h) or mapping[h]]
            if h.endswith("（%）") and v:
                v = f"{(Decimal(v) * 100).normalize():f}"
            cells.append(v)
        table.append(cells)
    write_csv(office / "data-2023.csv", table, encoding="utf-8-sig")
    project = json.loads((office / "parkscore.json").read_text(encoding="utf-8"))
    project["output"]["format"] = "csv"
    (office / "parkscore.json").write_text(json.dumps(project, ensure_ascii=False), encoding="utf-8")
    rc, out, err = run("score", cwd=office)
    assert rc == 0, err
    rc, expected, err2 = run("score", "jiangsu-2021", JIANGSU[2], "--ignore-extra", "--pool", "level", "--format", "csv")
    assert rc == 0, err2
    same_ranking(ranking(out), ranking(expected))


def test_a_bad_project_file_names_the_json_path(tmp_path):
    (tmp_path / "parkscore.json").write_text(json.dumps({"format": "parkscore-project", "version": 1,
                                                         "framework": "jiangsu-2021", "data": ["a.csv"],
                                                         "encodng": "gbk"}), encoding="utf-8")
    rc, out, err = run("score", cwd=tmp_path)
    assert rc == 1
    assert "parkscore.json: /encodng: unknown key 'encodng'" in err


def test_score_without_a_project_is_a_usage_error(tmp_path):
    rc, out, err = run("score", cwd=tmp_path)
    assert rc == 2
    assert "no parkscore.json in this folder" in err and "parkscore init" in err
