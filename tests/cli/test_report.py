"""parkscore report: HTML and Markdown with the same content, rendered by headless Chromium
(PDF and PNG, no console message), the .xlsx workbook re-read with openpyxl, the Excel CSV.

Run through ctest (cli.pytest), or: PARKSCORE_BIN=build/cli/parkscore /usr/bin/python3 -m pytest tests/cli
"""
import csv
import io
import json
import re
import shutil
import subprocess

import pytest

from test_cli import BIN, FRAMEWORK, ROOT, run

DEMO_2022 = ROOT / "examples" / "data" / "demo-2022.csv"
DEMO = ROOT / "examples" / "data" / "demo.csv"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    rc, _, err = run("report", FRAMEWORK, DEMO_2022, DEMO, "--year", "2022", "--year", "2023", "--pool", "level", "--html", out / "r.html",
                     "--markdown", out / "r.md", "--csv", out / "r.csv", "--zone", "D04", "--zone", "示范园区甲 (demo A)",
                     "--audit")
    assert rc == 0, err
    return out


def ranking_rows(text):
    """Rows of the first ranking table: (rank, id) pairs in order."""
    return re.findall(r"\|\s*(\d+)\s*\|\s*(D\d\d)\s*\|", text)


def test_html_is_self_contained_and_matches_the_markdown(written):
    html = (written / "r.html").read_text(encoding="utf-8")
    md = (written / "r.md").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html and "@page { size: A4" in html
    # nothing is fetched: no src= or href= at all, no script; SVG namespaces are names, not requests
    assert not re.search(r"\b(src|href)\s*=", html)
    assert "<script" not in html
    assert html.count("<svg") >= 3 and html.count("page-break") >= 3
    # the same sections and the same ranking in both
    for heading in ("一、综合排名", "二、分类得分与排名", "三、一票否决与预警名单", "四、指标体系统计检验"):
        assert heading in html and heading in md
    md_rows = ranking_rows(md)
    html_rows = re.findall(r'<tr><td class="n">(\d+)</td><td>(D\d\d)</td>', html)
    assert md_rows and md_rows[: len(html_rows)] == html_rows[: len(md_rows)]
    # zone pages, with the office's sentence and the year-on-year change
    assert "示范园区丁 (demo D)（D04）" in md and "示范园区甲 (demo A)（D01）" in md
    assert re.search(r"排名第\d+位，较上年(上升|下降)\d+位|排名第\d+位，与上年持平", md)


def test_rank_intervals_are_shown(tmp_path):
    iv = tmp_path / "iv.csv"
    iv.write_text("unit,nominal,median,lo,hi\nD01,1,1,1,2\nD02,2,2.5,1,3\n", encoding="utf-8")
    rc, _, err = run("report", FRAMEWORK, DEMO, "--pool", "all", "--markdown", tmp_path / "r.md", "--intervals", iv,
                     "--interval-label", "90% 区间，1000 次模拟", "--lang", "en")
    assert rc == 0, err
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "4. Rank intervals (uncertainty)" in md and "90% 区间，1000 次模拟" in md
    assert re.search(r"\| D02 \| .* \| 2 \| 2\.5 \| 1 \| 3 \|", md)
    iv.write_text("unit,nominal,median,lo,hi\nD01,1,x,1,2\n", encoding="utf-8")
    rc, _, err = run("report", FRAMEWORK, DEMO, "--markdown", tmp_path / "r.md", "--intervals", iv)
    assert rc == 1 and "line 2, column 'median'" in err


def test_chromium_renders_pdf_and_png_without_console_messages(written):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (scripts/setup.sh installs it): the browser rendering test is skipped")
    html = written / "r.html"
    pdf, png = written / "r.pdf", written / "r.png"
    common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
              "--enable-logging=stderr", "--v=0", f"--user-data-dir={written / 'profile'}"]
    p = subprocess.run(common + [f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.as_uri()],
                       capture_output=True, text=True, timeout=240)
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), p.stderr[-2000:]
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages >= 4   # ranking, categories, audit and two zone pages start on new pages
    q = subprocess.run(common + [f"--screenshot={png}", "--window-size=1240,1754", html.as_uri()],
                       capture_output=True, text=True, timeout=240)
    assert png.exists() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", q.stderr[-2000:]
    console = [line for line in (p.stderr + q.stderr).splitlines() if "CONSOLE" in line]
    assert console == [], console


def test_excel_csv_has_bom_chinese_headers_and_numeric_change(written, tmp_path):
    raw = (written / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:4] == ["组别", "排名", "代码", "名称"] and "综合得分" in header and "较上年排名变化" in header
    change = header.index("较上年排名变化")
    for row in rows[1:]:
        if row[change]:
            assert re.fullmatch(r"-?\d+", row[change])   # a number, not "↑5"
        for cell in row[4:change]:
            assert cell == "" or re.fullmatch(r"-?\d+\.\d\d", cell)   # rounded for display
    rc, _, err = run("report", FRAMEWORK, DEMO, "--csv", tmp_path / "g.csv", "--csv-encoding", "gbk")
    assert rc == 0, err
    assert (tmp_path / "g.csv").read_bytes().decode("gbk").startswith("组别,排名")


def test_workbook_reread_equals_the_result(tmp_path):
    openpyxl = pytest.importorskip("openpyxl", reason="python3-openpyxl is not installed (scripts/setup.sh)")
    book = tmp_path / "r.xlsx"
    rc, _, err = run("report", FRAMEWORK, DEMO_2022, DEMO, "--year", "2022", "--year", "2023", "--pool", "level", "--xlsx", book, "--audit")
    if rc == 1 and "without libxlsxwriter" in err:
        pytest.skip("parkscore was built without libxlsxwriter: " + err.strip())
    assert rc == 0, err
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["原始数据", "处理后数据", "标准化", "贡献分解", "得分与排名", "排名变化", "统计检验"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
    # scores and ranks equal the CLI's full-precision CSV, pooling by pooling
    rc, out, err = run("score", FRAMEWORK, DEMO, "--pool", "level", "--format", "csv", "--levels", "0")
    expected = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    ws = wb["得分与排名"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["排名口径", "组别", "代码", "名称"] and header[4] == "综合得分 得分"
    seen = 0
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0] != "level":
            continue
        seen += 1
        assert row[4] == pytest.approx(float(expected[row[2]]["index"]), abs=1e-12)
        assert row[5] == float(expected[row[2]]["rank"])
    assert seen == len(expected)
    assert ws.cell(2, 5).number_format == "0.00"
    # the change is a signed number
    rc, out, err = run("compare", "--framework", FRAMEWORK, DEMO_2022, DEMO, "--year", "2022", "--year", "2023", "--pool", "level", "--format", "json")
    assert rc == 0, err
    changes = {u["id"]: u["change"] for u in json.loads(out)["units"]} if "units" in json.loads(out) else None
    ws = wb["排名变化"]
    assert [c.value for c in ws[1]][:6] == ["代码", "名称", "组别", "上年排名", "本年排名", "排名变化"]
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[5] is not None:
            assert isinstance(row[5], (int, float)) and row[5] == row[3] - row[4]
            if changes is not None and changes.get(row[0]) is not None:
                assert row[5] == changes[row[0]]
    # contributions add up to the total on every row
    ws = wb["贡献分解"]
    for row in ws.iter_rows(min_row=2, values_only=True):
        parts = [v for v in row[3:-1] if isinstance(v, (int, float))]
        if isinstance(row[-1], (int, float)):
            assert sum(parts) == pytest.approx(row[-1], abs=1e-9)
    assert wb["统计检验"]["A1"].value == "代码"


def test_score_excel_writes_the_workbook_or_the_excel_csv(tmp_path):
    # the same writer as report --xlsx; with two years the 排名变化 sheet holds the changes
    book = tmp_path / "s.xlsx"
    rc, out, err = run("score", FRAMEWORK, DEMO, DEMO_2022, "--year", "2023", "--year", "2022", "--pool", "level",
                       "--format", "csv", "--levels", "0", "--excel", book)
    if rc == 1 and "without libxlsxwriter" in err:
        pytest.skip("parkscore was built without libxlsxwriter: " + err.strip())
    assert rc == 0, err
    openpyxl = pytest.importorskip("openpyxl", reason="python3-openpyxl is not installed (scripts/setup.sh)")
    shown = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}   # the latest year: demo.csv (2023)
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["原始数据", "处理后数据", "标准化", "贡献分解", "得分与排名", "排名变化"]
    raw = {r["id"]: r for r in csv.DictReader(open(DEMO, encoding="utf-8"))}
    for row in wb["原始数据"].iter_rows(min_row=2, values_only=True):   # the 2023 file, although given first
        assert row[3] == float(raw[row[0]]["gdp"])
    for row in wb["得分与排名"].iter_rows(min_row=2, values_only=True):
        if row[0] == "level":
            assert row[4] == pytest.approx(float(shown[row[2]]["index"]), abs=1e-12)
    rc, before, err = run("score", FRAMEWORK, DEMO_2022, "--pool", "level", "--format", "csv", "--levels", "0")
    assert rc == 0, err
    previous = {r["id"]: float(r["rank"]) for r in csv.DictReader(io.StringIO(before))}
    rows = list(wb["排名变化"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6 and any(r[5] for r in rows)
    for r in rows:   # previous rank - current rank, both from the plain rankings of each year
        assert r[4] == float(shown[r[0]]["rank"])
        if r[0] not in previous:   # D04 is new in 2023: no previous rank, no change
            assert r[0] == "D04" and r[3] is None and r[5] is None and r[6] == "新进"
            continue
        assert r[3] == previous[r[0]] and r[5] == previous[r[0]] - float(shown[r[0]]["rank"])

    text = tmp_path / "s.csv"
    rc, _, err = run("score", FRAMEWORK, DEMO_2022, DEMO, "--year", "2022", "--year", "2023", "--pool", "level",
                     "--excel", text, "--excel-encoding", "gbk")
    assert rc == 0, err
    rows = list(csv.reader(io.StringIO(text.read_bytes().decode("gbk"))))
    assert rows[0][:4] == ["组别", "排名", "代码", "名称"] and "较上年排名变化" in rows[0]
    change = rows[0].index("较上年排名变化")
    assert any(re.fullmatch(r"-?\d+", r[change]) for r in rows[1:])


def test_report_takes_the_uncertainty_commands_csv_as_it_is(tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"inputs": [{"type": "weights", "node": "*", "spread": 0.25}]}))
    rc, out, err = run("uncertainty", FRAMEWORK, DEMO, "--spec", spec, "--reps", 200, "--pool", "all", "--output", "csv",
                       "--interval", "5,95", "--sobol", 64, "-q")
    assert rc == 0, err
    assert "\ninput,first_order" in out   # a Sobol table follows the rank statistics after a blank line
    stats = list(csv.DictReader(io.StringIO(out.split("\n\n")[0])))
    ivs = tmp_path / "u.csv"
    ivs.write_text(out, encoding="utf-8")
    rc, _, err = run("report", FRAMEWORK, DEMO, "--pool", "all", "--markdown", tmp_path / "r.md", "--intervals", ivs)
    assert rc == 0, err
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "不确定性分析的5%–95%排名区间" in md   # the label states the percentiles of the file
    for s in stats:
        row = rf"\| {s['unit']} \| [^|]+ \| {float(s['nominal_rank']):g} \| {float(s['median_rank']):.1f} \| " \
              rf"{float(s['rank_q5']):g} \| {float(s['rank_q95']):g} \|"
        assert re.search(row, md), row
