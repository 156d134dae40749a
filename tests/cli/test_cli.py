"""Tests of the parkscore command-line tool: small files in a temp dir, exit codes, messages, formats.

Run through ctest (cli.pytest), or: PARKSCORE_BIN=build/cli/parkscore /usr/bin/python3 -m pytest tests/cli
"""
import csv
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("PARKSCORE_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BIN = str(Path(os.environ.get("PARKSCORE_BIN", ROOT / "build" / "cli" / "parkscore")).resolve())
FRAMEWORK = ROOT / "docs" / "examples" / "demo-framework.json"
DEMO = ROOT / "examples" / "data" / "demo.csv"
DEMO_TEXT = DEMO.read_text(encoding="utf-8")


def run(*args, cwd=None, env=None):
    full_env = dict(os.environ)
    full_env.update(env or {})
    p = subprocess.run([BIN, *map(str, args)], capture_output=True, cwd=cwd, env=full_env)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def width(s):
    """Display width: East Asian Wide/Fullwidth count 2 (Python's own table, independent of the C++ one)."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


@pytest.fixture
def tmp(tmp_path):
    return tmp_path


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


# --- success paths, one per output format --------------------------------------------------------


def test_score_table_aligns_chinese_names():
    rc, out, err = run("score", FRAMEWORK, DEMO, "--pool", "level")
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == "示范开发区指数 (demo zone index) — pooled by level"
    table = lines[2:]
    assert len(table) == 2 + 6
    # The last column is numeric and right-aligned: every line ends at the same display column.
    assert len({width(line) for line in table}) == 1, table
    # Each column starts at the same display column in the header and in every row (CJK counted twice).
    header = table[0]
    starts = [width(header[: m.start()]) for m in re.finditer(r"(?<=  )\S", header)]
    for line in table[2:]:
        cells = re.split(r"  +", line.strip())
        assert len(cells) == 7
    name_col = width(header[: header.index("Name")])
    for line in table[2:]:
        name = re.search(r"示范园区.", line)
        assert width(line[: name.start()]) == name_col
    assert starts  # header has several columns
    assert "warning: unit D04: 1 missing value(s): fdi" in err


def test_score_csv_is_rfc4180_and_complete(tmp):
    out_file = tmp / "ranks.csv"
    rc, out, err = run("score", FRAMEWORK, DEMO, "--format", "csv", "--output", out_file, "--levels", "2")
    assert rc == 0, err
    assert out == ""
    rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"), newline="")))
    assert [r["id"] for r in rows][0] == "D01"
    assert list(rows[0].keys())[:5] == ["pool", "rank", "id", "name", "index"]
    assert "land_tax" in rows[0]
    assert out_file.read_bytes().count(b"\r\n") == 7  # header + 6 units, CRLF line ends (RFC 4180)
    assert rows[3]["fdi"] == ""  # D04's missing value stays empty, never 0


def test_score_json_and_top_k():
    rc, out, err = run("score", FRAMEWORK, DEMO, "--pool", "level", "--top", "1", "--format", "json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["pooling"] == "level"
    assert [(r["pool"], r["rank"], r["id"]) for r in doc["rows"]] == [("national", 1, "D01"), ("provincial", 1, "D06")]
    assert set(doc["rows"][0]["scores"]) == {"index", "ECO", "GRN"}


def test_score_markdown():
    rc, out, err = run("score", FRAMEWORK, DEMO, "--pool", "all", "--levels", "0", "--format", "markdown")
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[2] == "| Rank | ID | Name | 综合得分 |"
    assert lines[3] == "|---:|---|---|---:|"
    assert len(lines) == 4 + 6


def test_explain_lists_levels_and_standing():
    rc, out, err = run("explain", "D04", FRAMEWORK, DEMO, "--pool", "level", "--count", "2", "--format", "json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["pool"] == "provincial" and doc["pool_size"] == 4
    assert [n["id"] for n in doc["nodes"]][:3] == ["index", "ECO", "gdp"]
    assert len(doc["strongest"]) == 2 and len(doc["weakest"]) == 2
    diffs = [s["difference"] for s in doc["strongest"] + doc["weakest"][::-1]]
    assert diffs == sorted(diffs, reverse=True)
    for s in doc["strongest"]:
        assert s["difference"] == pytest.approx(s["normalised"] - s["pool_median"])
    assert doc["missing"] == ["fdi"]


def test_explain_unknown_unit():
    rc, out, err = run("explain", "D99", FRAMEWORK, DEMO)
    assert rc == 1
    assert "no unit with id or name 'D99'" in err and str(DEMO) in err


def test_explain_by_name_account_adds_up_and_speaks_chinese():
    rc, out, err = run("explain", "示范园区丁 (demo D)", FRAMEWORK, DEMO, "--pool", "level", "--format", "json",
                       "--lang", "zh", "--gap", "next", "--what-if", "gdp=400")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["id"] == "D04"
    account = doc["account"]
    assert account["scale"] == "score"
    # a missing indicator (D04 has no fdi) has no points: its weight went to the others
    total = sum(i["points"] for i in account["indicators"] if i["points"] is not None) + account["rescaling"] + account["adjustment"]
    assert total == pytest.approx(account["score"], abs=1e-12)
    assert doc["summary"].startswith("示范园区丁 (demo D)（D04）在provincial组") and "排名第" in doc["summary"]
    gap = doc["gap"]
    assert gap["target_rank"] == gap["rank"] - 1
    for line in gap["single"]:
        assert line["reachable"] or line["note"]
    assert any(m["id"] == "D04" for m in doc["what_if"]["moved"]) or doc["what_if"]["moved"] == []


def test_explain_previous_year_change_table():
    rc, out, err = run("explain", "D04", FRAMEWORK, DEMO, "--pool", "level", "--previous",
                       ROOT / "examples" / "data" / "demo-2022.csv")
    assert rc == 0, err
    assert "index" in out and "Points before" in out


def test_compare_result_csvs(tmp):
    before = tmp / "2022.csv"
    write(before, "pool,rank,id,name\r\nall,1,D02,B\r\nall,2,D01,A\r\nall,3,D03,C\r\nall,14,D05,E\r\nall,4,D09,gone\r\n")
    rc, out, err = run("score", FRAMEWORK, DEMO, "--pool", "all", "--format", "csv", "--output", tmp / "2023.csv")
    assert rc == 0, err
    rc, out, err = run("compare", before, tmp / "2023.csv", "--format", "csv")
    assert rc == 0, err
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out, newline=""))}
    # 2023 ranks (pool all): D01 1, D02 2, D06 3, D04 4, D03 5, D05 6.
    assert rows["D01"]["change"] == "↑1"  # 2 - 1
    assert rows["D02"]["change"] == "↓1"  # 1 - 2
    assert rows["D03"]["change"] == "↓2"  # 3 - 5
    assert rows["D05"]["change"] == "↑8"  # 14 - 6
    assert rows["D06"]["change"] == "new"
    assert rows["D09"]["change"] == "left"
    assert rows["D03"]["previous_rank"] == "3" and rows["D03"]["rank"] == "5"
    rc, out, err = run("compare", before, tmp / "2023.csv")
    assert rc == 0, err
    assert "Movers up: D05 示范园区戊 (demo E) ↑8; D01 示范园区甲 (demo A) ↑1" in out
    assert "Left the ranking: D09 gone (was 4)" in out


def test_compare_data_files_with_framework(tmp):
    later = write(tmp / "later.csv", DEMO_TEXT.replace("D05,示范园区戊 (demo E),provincial,150.3", "D05,示范园区戊 (demo E),provincial,950.3"))
    rc, out, err = run("compare", "--framework", FRAMEWORK, DEMO, later, "--pool", "all", "--format", "json")
    assert rc == 0, err
    doc = json.loads(out)
    d05 = next(c for c in doc["changes"] if c["id"] == "D05")
    assert d05["previous_rank"] == 6 and d05["change"] == d05["previous_rank"] - d05["rank"] > 0
    assert d05["status"] == "moved" and d05["label"] == f"↑{d05['change']:g}"


JIANGSU = [ROOT / "examples" / "data" / f"jiangsu-{y}.csv" for y in (2021, 2022, 2023)]
# The delisting watch of the 2024 evaluation under jiangsu-2021 (last 3 of the provincial pool in 2 of
# 3 years), as examples/jiangsu_ranking prints it for the same data.
JIANGSU_WATCH = [
    "P065 示例开发区092 (synthetic) (provincial): in the last 3 in 2022, 2023, 2024; place 90 in 2024",
    "P083 示例开发区110 (synthetic) (provincial): in the last 3 in 2022, 2023; place 88 in 2024",
    "P077 示例开发区104 (synthetic) (provincial): in the last 3 in 2022, 2023; place 86 in 2024",
]


def test_compare_three_years_with_delisting_watch():
    rc, out, err = run("compare", "--framework", "jiangsu-2021", *JIANGSU, "--pool", "level", "--rule", "jiangsu-2021",
                       "--ignore-extra")
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == f"Rank changes: {JIANGSU[2]} against {JIANGSU[1]}"
    # The changes are those of the last year (2024 evaluation against 2023).
    assert re.search(r"provincial\s+90\s+90\s+–\s+P065 ", out)
    assert re.search(r"provincial\s+89\s+85\s+↓4\s+P072 ", out)  # 85 - 89
    assert re.search(r"provincial\s+-\s+35\s+n/a\s+P043 ", out)  # vetoed in 2024: no rank, no number
    assert "Movers up: P014 示例开发区041 (synthetic) ↑21;" in out
    watch = lines.index("Delisting watch (jiangsu-2021, evaluation years 2022 to 2024): ")
    assert [line.strip() for line in lines[watch + 1:-1]] == JIANGSU_WATCH
    assert lines[-1].strip() == ("Data years used: 2021 (jiangsu-2021.csv, file name), 2022 (jiangsu-2022.csv, "
                                 "file name), 2023 (jiangsu-2023.csv, file name)")


def test_compare_rule_file_and_bad_rule(tmp):
    rule = write(tmp / "rule.json", json.dumps({"name": "last-one", "grouping": "level", "pools": ["provincial"],
                                               "bottom": 1, "window": 2, "min_hits": 2}))
    rc, out, err = run("compare", "--framework", "jiangsu-2021", *JIANGSU, "--pool", "level", "--rule", rule,
                       "--ignore-extra")
    assert rc == 0, err
    # A hit = last of the provincial pool. In 2024 the vetoed P043 takes last place (P065, ranked 90, has P043
    # behind it), and P043 ranked 35 in 2023: nobody is last in both years.
    assert "Delisting watch (last-one, evaluation years 2023 to 2024): none" in out
    assert "neither a built-in rule (jiangsu-2021, jiangsu-2013, mofcom-2021, zhejiang-2021) nor a file" in bad(
        "compare", "--framework", "jiangsu-2021", *JIANGSU[:2], "--rule", "nope", "--ignore-extra")
    assert run("compare", *JIANGSU[:2], "--rule", "jiangsu-2021", "--format", "csv")[0] == 2


def test_score_several_years_with_change_column():
    rc, out, err = run("score", "jiangsu-2021", *JIANGSU, "--pool", "level", "--label", "provincial", "--ignore-extra")
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0].endswith("evaluation year 2024 (data year 2023), change against 2023 — pooled by level")
    rows = lines[4:]
    assert len(rows) == 91 and all(r.startswith("provincial") for r in rows)
    assert re.match(r"provincial\s+1\s+P067 .* 94\.27 .*–$", rows[0])
    assert re.match(r"provincial\s+89\s+P072 .*↓4$", rows[88])
    assert re.match(r"provincial\s+-\s+P043 .*n/a\s+veto: 发生重大及以上生产安全事故", rows[90])


def test_validate_ok():
    rc, out, err = run("validate", FRAMEWORK, DEMO)
    assert rc == 0, err
    assert "ok: framework 'demo' (5 indicators)" in out


def test_presets_list_and_export(tmp):
    presets = tmp / "presets"
    presets.mkdir()
    shutil.copy(FRAMEWORK, presets / "demo.json")
    env = {"PARKSCORE_PRESET_DIR": str(presets)}
    rc, out, err = run("presets", env=env)
    assert rc == 0, err
    assert re.search(r"demo\s+示范开发区指数 \(demo zone index\)\s+5", out)
    rc, out, err = run("presets", "export", "demo", env=env)
    assert rc == 0, err
    assert json.loads(out)["id"] == "demo"
    rc, out, err = run("score", "demo", DEMO, "--top", "1", env=env)  # a preset name works wherever a framework does
    assert rc == 0, err
    rc, out, err = run("presets", "export", "nope", env=env)
    assert rc == 1 and "no preset named 'nope' (known: demo; folders searched: " in err
    assert f"{presets}," in err and "PARKSCORE_PRESET_DIR" in err


# --- bad input: exit code 1, message names the place ----------------------------------------------


def bad(*args, **kw):
    rc, out, err = run(*args, **kw)
    assert rc == 1, (out, err)
    return err


def test_bad_quoting(tmp):
    f = write(tmp / "q.csv", DEMO_TEXT.replace("D03,示范园区丙 (demo C)", 'D03,示范园区"丙" (demo C)'))
    err = bad("score", FRAMEWORK, f)
    assert f"{f}:4: column 2: a quote inside an unquoted field" in err


def test_unclosed_quote(tmp):
    f = write(tmp / "q.csv", DEMO_TEXT.replace("D05,示范园区戊", 'D05,"示范园区戊'))
    assert f"{f}:6: column 2: a quoted field is never closed" in bad("score", FRAMEWORK, f)


def test_wrong_encoding_names_the_encoding_and_converts(tmp):
    f = write(tmp / "gbk.csv", DEMO_TEXT, encoding="gbk")
    err = bad("score", FRAMEWORK, f)
    assert f"{f}:2: the file is not valid UTF-8" in err and "--encoding gb18030" in err
    rc, out, err = run("score", FRAMEWORK, f, "--encoding", "gb18030")
    assert rc == 0, err
    assert "示范园区甲 (demo A)" in out
    utf8 = write(tmp / "utf8.csv", DEMO_TEXT)
    assert "already UTF-8" in bad("score", FRAMEWORK, utf8, "--encoding", "gbk")


def test_ragged_rows_all_reported(tmp):
    text = DEMO_TEXT.replace("D02,示范园区乙 (demo B),national,455.0,", "D02,示范园区乙 (demo B),national,455.0,1,")
    text = text.replace(",0.71,9.4", ",0.71")
    f = write(tmp / "ragged.csv", text)
    err = bad("validate", FRAMEWORK, f)
    assert f"{f}:3: row has 9 fields, the header has 8" in err
    assert f"{f}:6: row has 7 fields, the header has 8" in err


def test_unknown_column(tmp):
    f = write(tmp / "u.csv", DEMO_TEXT.replace("energy,land_tax", "energy,land_tax_typo"))
    err = bad("score", FRAMEWORK, f)
    assert (f"{f}:1: 1 column matches no indicator or grouping column of the framework: 'land_tax_typo' "
            "(closest: land_tax") in err
    assert f"{f}:1: no column for indicator 'land_tax'" in err
    rc, out, err = run("score", FRAMEWORK, f, "--map-column", "land_tax_typo=land_tax")
    assert rc == 0, err


def test_duplicate_id(tmp):
    f = write(tmp / "d.csv", DEMO_TEXT.replace("D05,", "D01,"))
    assert f"{f}:6: column 'id' (column 1): duplicate unit id 'D01' (first on line 2)" in bad("score", FRAMEWORK, f)


def test_non_numeric_cell(tmp):
    f = write(tmp / "n.csv", DEMO_TEXT.replace("96.1", "96.1亿").replace("22.4", '"2,24"'))
    err = bad("validate", FRAMEWORK, f)
    assert f"{f}:2: column 'tax' (column 5), unit 'D01': '96.1亿' is not a number" in err
    assert f"{f}:4: column 'tax' (column 5), unit 'D03': '2,24' is not a number (thousands separators" in err


def test_percent_rules(tmp):
    f = write(tmp / "p.csv", DEMO_TEXT.replace(",0.31,", ",31%,"))
    err = bad("validate", FRAMEWORK, f)
    assert f"{f}: column 'energy' (column 7): mixes percentages (line 2: '31%') and plain numbers (line 3: '0.42')" in err
    err = bad("validate", FRAMEWORK, f, "--percent", "reject")
    assert f"{f}:2: column 'energy' (column 7), unit 'D01': '31%' is a percentage" in err


def test_framework_that_does_not_match_the_data(tmp):
    fw = json.loads(FRAMEWORK.read_text(encoding="utf-8"))
    fw["index"]["children"][0]["children"][0]["id"] = "gross_output"
    # (Its names too: a header 'gdp' would otherwise match the English name "GDP".)
    fw["index"]["children"][0]["children"][0]["name"] = "总产出"
    fw["index"]["children"][0]["children"][0]["name_en"] = "Gross output"
    fw["pools"] = ["all", "region"]
    f = write(tmp / "fw.json", json.dumps(fw, ensure_ascii=False))
    err = bad("validate", f, DEMO)
    assert f"{DEMO}:1: no grouping column 'region' in the header" in err
    # 'level' is no pool of this framework any more, and 'gdp' no name of an indicator.
    assert f"{DEMO}:1: 2 columns match no indicator or grouping column of the framework: 'level'" in err
    assert "'gdp'" in err
    assert f"{DEMO}:1: no column for indicator 'gross_output'" in err


def test_invalid_framework_names_json_path(tmp):
    fw = json.loads(FRAMEWORK.read_text(encoding="utf-8"))
    fw["index"]["children"][1]["wieght"] = 3
    f = write(tmp / "fw.json", json.dumps(fw))
    err = bad("validate", f, DEMO)
    assert f"{f}: /index/children/1/wieght: unknown key 'wieght'" in err
    assert "unknown key 'wieght'" in bad("score", f, DEMO)


def test_missing_file():
    assert "nope.csv: cannot open the file" in bad("score", FRAMEWORK, "nope.csv")


def test_long_layout_and_mapping_file(tmp):
    rows = ["单位,name,year,indicator,value,level"]
    reader = csv.DictReader(io.StringIO(DEMO_TEXT))
    chinese = {"gdp": "地区生产总值", "tax": "税收收入", "fdi": "实际使用外资", "energy": "单位工业增加值能耗", "land_tax": "亩均税收"}
    for r in reader:
        for year in ("2022", "2023"):
            for ind, label in chinese.items():
                rows.append(f"{r['id']},{r['name']},{year},{label},{r[ind]},{r['level']}")
    f = write(tmp / "long.csv", "\n".join(rows) + "\n")
    mapping = write(tmp / "map.json", json.dumps({v: k for k, v in chinese.items()}, ensure_ascii=False))
    common = ["--layout", "long", "--id-column", "单位", "--map", mapping]
    assert "holds the years 2022, 2023; choose one with --year" in bad("score", FRAMEWORK, f, *common)
    rc, wide_out, _ = run("score", FRAMEWORK, DEMO, "--format", "csv")
    rc2, long_out, err = run("score", FRAMEWORK, f, *common, "--year", "2023", "--format", "csv")
    assert rc == 0 and rc2 == 0, err
    assert long_out == wide_out  # the same numbers whichever layout they came in


# --- usage errors: exit code 2 --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["frobnicate"],
        ["score"],
        ["score", str(FRAMEWORK)],
        ["score", str(FRAMEWORK), str(DEMO), "--format", "xml"],
        ["score", str(FRAMEWORK), str(DEMO), "--top", "-1"],
        ["score", str(FRAMEWORK), str(DEMO), "--no-such-option"],
        ["explain"],
        ["compare", "a.csv"],
        ["presets", "export"],
        ["validate", str(FRAMEWORK), str(DEMO), "--percent", "maybe"],
    ],
)
def test_usage_errors_exit_2(args):
    rc, out, err = run(*args)
    assert rc == 2, (out, err)
    assert err


@pytest.mark.parametrize("sub", [["score"], ["explain"], ["compare"], ["validate"], ["presets"], ["presets", "export"],
                                 ["rerun"]])
def test_help_has_an_example(sub):
    rc, out, err = run(*sub, "--help")
    assert rc == 0
    assert "Example" in out and "parkscore " + sub[0] in out


# --- docs/cli.md: every example runs ------------------------------------------------------------------


def doc_example_blocks():
    """The `$ parkscore ...` lines of docs/cli.md, by code block: a line may use what the lines
    before it in its block wrote (e.g. `rerun run.json` after `score ... --manifest run.json`)."""
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    blocks, current = [], []
    for line in text.splitlines():
        if line.startswith("$ parkscore "):
            current.append(line[2:])
        elif line.startswith("```") and current:
            blocks.append(current)
            current = []
    return blocks + ([current] if current else [])


def doc_examples():
    return [command for block in doc_example_blocks() for command in block]


def earlier_in_block(command):
    for block in doc_example_blocks():
        if command in block:
            return block[:block.index(command)]
    return []


def test_docs_have_an_example_per_subcommand():
    subs = {shlex.split(cmd)[1] for cmd in doc_examples()}
    assert {"score", "explain", "compare", "validate", "presets", "rerun"} <= subs


@pytest.mark.parametrize("command", doc_examples())
def test_docs_examples_run(command, tmp):
    presets = tmp / "presets"
    presets.mkdir()
    shutil.copy(FRAMEWORK, presets / "demo.json")
    shutil.copytree(ROOT / "docs", tmp / "docs")
    shutil.copytree(ROOT / "examples", tmp / "examples")
    env = {"PARKSCORE_PRESET_DIR": str(presets)}
    for before in earlier_in_block(command):
        assert run(*shlex.split(before)[1:], cwd=tmp, env=env)[0] == 0, before
    args = shlex.split(command)[1:]
    rc, out, err = run(*args, cwd=tmp, env=env)
    assert rc == 0, (command, err)
