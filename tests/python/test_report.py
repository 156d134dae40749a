"""Result.explain / gap / what_if / report and the report charts (headless, Chinese labels)."""

import io
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import parkscore
import parkscore.plot as pplot


@pytest.fixture
def demo(demo_framework_path, demo_csv):
    return parkscore.evaluate(demo_framework_path, demo_csv)


def test_explain_points_add_up_and_summary(demo):
    e = demo.explain("示范园区丁 (demo D)", "level", lang="zh")   # by name
    assert e["id"] == "D04"
    total = e["indicators"]["points"].sum() + e["rescaling"] + e["adjustment"]
    assert abs(total - e["score"]) < 1e-12
    assert e["summary"].startswith("示范园区丁 (demo D)（D04）") and "排名第" in e["summary"]
    ind = e["indicators"]
    assert np.isnan(ind.loc["fdi", "raw"])   # D04 has no fdi value
    assert (ind["lost"].dropna() >= -1e-12).all()


def test_gap_and_what_if(demo):
    g = demo.gap("D04", "next", "level")
    assert g["target_rank"] == g["rank"] - 1
    reachable = g["single"][g["single"]["reachable"]]
    for indicator, row in reachable.iterrows():
        moved = demo.what_if([("D04", indicator, row["value"])], "level")
        assert moved.loc["D04", "rank_after"] <= g["target_rank"]
    with pytest.raises(parkscore.DataError, match="no column 'nope'"):
        demo.what_if([("D04", "nope", 1.0)])


def glyph_warnings(fig):
    """matplotlib's "Glyph ... missing from current font" warnings when the figure is rendered (Agg)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from" in str(w.message)]


def test_chinese_labels_render_without_missing_glyphs(demo):
    if pplot.cjk_font() is None:
        pytest.skip("no CJK font installed (Debian fonts-noto-cjk; scripts/setup.sh installs it)")
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_title("经济发展 生态集约 综合得分")
    assert glyph_warnings(fig), "the check must see missing glyphs under matplotlib's default font"
    assert glyph_warnings(pplot.apply_cjk_font(fig)) == []
    for chart in (pplot.framework_tree(demo), pplot.correlation_heatmap(demo), pplot.bar(demo, highlight="D04"),
                  pplot.dot(demo, "level", highlight="D04"), pplot.contributions_by_category(demo),
                  pplot.profile(demo, "D04", "level"), pplot.rank_change(demo, demo)):
        assert isinstance(chart, Figure)
        assert glyph_warnings(chart) == []


def test_charts_have_the_expected_elements(demo):
    bars = pplot.bar(demo, grouping="all", highlight="D04").axes[0].patches
    assert len(bars) == 6
    assert sum(1 for p in bars if p.get_facecolor()[:3] != bars[0].get_facecolor()[:3]) <= 1
    heat = pplot.correlation_heatmap(demo, "all").axes[0]
    assert heat.images[0].get_array().shape == (5, 5)
    prof = pplot.profile(demo, "D01", "level").axes[0]
    heights = [p.get_height() for p in prof.patches]
    assert len(heights) == 2 and all(0 <= h <= 100.0 + 1e-9 for h in heights)
    # D04 lacks fdi: its economy category is still measured against full marks
    heights = [p.get_height() for p in pplot.profile(demo, "D04", "level").axes[0].patches]
    assert all(np.isfinite(h) and 0 <= h <= 100.0 + 1e-9 for h in heights)
    stacked = pplot.contributions_by_category(demo, ["D01", "D02"]).axes[0]
    assert len(stacked.patches) == 4   # 2 units x 2 categories
    slope = pplot.rank_change(demo, demo).axes[0]
    assert len(slope.texts) == 2 * len(slope.lines)   # labelled on both sides


def test_report_html_and_markdown_with_figures(demo, tmp_path):
    html = demo.report(tmp_path / "r.html", grouping="level", zones=["D04"], audit=True)
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == html
    assert html.count("<svg") >= 8   # built-in charts plus the matplotlib figures
    assert "相关性 Correlations" in html and "示范园区丁 (demo D)（D04）" in html
    md = demo.report(tmp_path / "r.md", grouping="level", figures=[])
    assert md.startswith("# ") and "<svg" not in md
    from parkscore import _core
    with pytest.raises(parkscore.DataError, match="refused"):
        _core.report_document(demo.raw, demo.data, "level", "zh", [], False, [],
                              [("bad", "<svg><script>alert(1)</script></svg>")], "html")


@pytest.fixture
def previous(demo_framework_path, source_dir):
    return parkscore.evaluate(demo_framework_path, source_dir / "examples" / "data" / "demo-2022.csv")


def test_report_with_the_previous_year_shows_changes_and_the_slope_chart(demo, previous):
    md = demo.report(grouping="level", previous=previous, figures=[], format="markdown")
    changes = parkscore.rank_changes(previous, demo, "level")
    assert "较上年" in md
    moved = changes[(changes["status"] == "moved") & (changes["change"] != 0)]
    assert len(moved) >= 1
    for unit, row in moved.iterrows():
        rank = int(row["current"])
        assert re.search(rf"\| {rank} \| {unit} \| [^\n]* \| {int(row['change']):+d} \| +\|\n", md), unit
    html = demo.report(grouping="level", previous=previous)
    assert "排名变化 Rank change" in html
    assert 'class="chart sunburst"' in html   # the framework sunburst is the document's own


def test_sunburst_wedges_are_the_weights_times_360_degrees(demo):
    from matplotlib.patches import Wedge
    fig = pplot.sunburst(demo)
    wedges = {w.get_gid(): w for w in fig.axes[0].patches if isinstance(w, Wedge)}
    # demo weights: ECO 60, GRN 40; ECO: gdp 3, tax 2, fdi 1; GRN: energy 1, land_tax 1
    share = {"ECO": 0.6, "GRN": 0.4, "gdp": 0.3, "tax": 0.2, "fdi": 0.1, "energy": 0.2, "land_tax": 0.2}
    assert set(wedges) == set(share)
    # clockwise from twelve o'clock in framework order; matplotlib angles run counter-clockwise from three o'clock
    start = {"ECO": 0, "gdp": 0, "tax": 108, "fdi": 180, "GRN": 216, "energy": 216, "land_tax": 288}
    for node, w in wedges.items():
        assert w.theta2 - w.theta1 == pytest.approx(360 * share[node], abs=1e-9)
        assert 90 - w.theta2 == pytest.approx(start[node], abs=1e-9)
        assert w.r == pytest.approx(2.0 if node in ("ECO", "GRN") else 3.0)   # ring per level
        assert w.width == pytest.approx(1.0)
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "综合得分" in labels and "经济发展\n60.0%" in labels and "实际使用外资\n10.0%" in labels
    if pplot.cjk_font() is not None:
        assert glyph_warnings(fig) == []
    assert len(pplot.sunburst(demo.framework, names=False).axes[0].texts) == 8   # a Framework works too


def test_workbook_from_python_reread_with_openpyxl(demo, previous, tmp_path, source_dir):
    openpyxl = pytest.importorskip("openpyxl", reason="python3-openpyxl is not installed (scripts/setup.sh)")
    if not parkscore.workbook_available():
        with pytest.raises(parkscore.Error, match="without libxlsxwriter"):
            demo.to_excel(tmp_path / "r.xlsx")
        pytest.skip("parkscore was built without libxlsxwriter")
    book = tmp_path / "r.xlsx"
    demo.to_excel(book, grouping="level", previous=previous, audit=True)
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["原始数据", "处理后数据", "标准化", "贡献分解", "得分与排名", "排名变化", "统计检验"]
    assert all(ws.freeze_panes == "A2" for ws in wb.worksheets)

    import pandas as pd
    raw = pd.read_csv(source_dir / "examples" / "data" / "demo.csv").set_index("id")
    ws = wb["原始数据"]
    head = [c.value for c in ws[1]]
    assert head == ["代码", "名称", "组别", "地区生产总值", "税收收入", "实际使用外资", "单位工业增加值能耗", "亩均税收"]
    for row in ws.iter_rows(min_row=2, values_only=True):
        for value, column in zip(row[3:], ["gdp", "tax", "fdi", "energy", "land_tax"]):
            expected = raw.at[row[0], column]
            assert (value is None) if np.isnan(expected) else value == expected
    normalised = demo.normalised("level")
    for row in wb["标准化"].iter_rows(min_row=2, values_only=True):
        got = np.array([np.nan if v is None else v for v in row[3:]], dtype=float)
        np.testing.assert_allclose(got, normalised.loc[row[0]].to_numpy(), atol=1e-12)
    scores, ranks = demo.scores("level"), demo.ranks("level")
    ws = wb["得分与排名"]
    level_rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "level"]
    assert len(level_rows) == 6
    for r in level_rows:
        assert r[4] == pytest.approx(scores.at[r[2], "index"], abs=1e-12) and r[5] == ranks.at[r[2], "index"]
    assert ws.cell(2, 5).number_format == "0.00"
    ws = wb["贡献分解"]
    for r in ws.iter_rows(min_row=2, values_only=True):   # parts + rescaling + bonus = the score shown
        assert sum(v for v in r[3:-1] if v is not None) == pytest.approx(r[-1], abs=1e-9)
        assert r[-1] == pytest.approx(scores.at[r[0], "index"], abs=1e-9)
    changes = parkscore.rank_changes(previous, demo, "level")
    seen = 0
    for r in wb["排名变化"].iter_rows(min_row=2, values_only=True):
        expected = changes.at[r[0], "change"]
        if np.isnan(expected):
            assert r[5] is None
        else:
            seen += 1
            assert r[5] == expected and r[5] == r[3] - r[4]
    assert seen >= 1 and wb["排名变化"].cell(2, 6).number_format == "+0;-0;0"
    ws = wb["统计检验"]
    fdi = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "fdi"][0]
    assert fdi[4] == pytest.approx(1 / 6)   # 缺失比例: D04 has no fdi
    parkscore.write_workbook(demo, tmp_path / "same.xlsx", grouping="level")
    assert openpyxl.load_workbook(tmp_path / "same.xlsx").sheetnames[-1] == "排名变化"   # no audit sheet


def test_explain_against_the_previous_year(demo, previous):
    e = demo.explain("D01", "level", lang="zh", previous=previous)
    change = e["change"]
    moved = parkscore.rank_changes(previous, demo, "level").loc["D01"]
    assert change["rank_before"] == moved["previous"] and change["rank_after"] == moved["current"]
    assert change["score_before"] == pytest.approx(previous.score("D01", grouping="level"), abs=1e-12)
    assert change["score_after"] == pytest.approx(demo.score("D01", grouping="level"), abs=1e-12)
    lines = change["lines"]
    total = lines[lines["indicator"]]["change"].sum() + change["rescaling_change"] + change["adjustment_change"]
    assert total == pytest.approx(change["score_after"] - change["score_before"], abs=1e-12)
    assert lines.at["gdp", "raw_before"] == 790.2 and lines.at["gdp", "raw_after"] == 820.5   # demo-2022.csv, demo.csv
    if moved["change"] == 0:
        assert "与上年持平" in e["summary"]
    else:
        word = "上升" if moved["change"] > 0 else "下降"
        assert f"排名第{int(moved['current'])}位，较上年{word}{abs(int(moved['change']))}位" in e["summary"]
    assert "change" not in demo.explain("D01", "level")
    with pytest.raises(parkscore.DataError, match="needs the evaluated data"):
        demo.explain("D01", "level", previous=parkscore.Result(previous.raw))


def test_report_takes_the_uncertainty_frame_and_the_watch_list(demo, demo_framework_path, demo_csv):
    spec = {"inputs": [{"type": "weights", "node": "*", "spread": 0.25}]}
    table = parkscore.uncertainty(demo_framework_path, demo_csv, spec, reps=100, pool="all")
    watch = pd.DataFrame({"unit": ["D05"], "name": ["示范园区戊 (demo E)"], "pool": ["provincial"],
                          "hit_years": [[2022, 2023]], "rule": ["jiangsu-2021"], "order_value": [4.0]})
    md = demo.report(grouping="all", intervals=table, interval_label="100 次模拟", watch=watch, figures=[],
                     format="markdown", lang="zh")
    assert "四、排名区间（不确定性分析）" in md and "100 次模拟" in md
    for unit, r in table.iterrows():
        assert f"| {unit} | {demo.unit_names[unit]} | {r['nominal_rank']:g} | {r['median']:.1f} | {r['lo']:g} | " \
               f"{r['hi']:g} |" in md
    assert "| D05 | 示范园区戊 (demo E) | provincial | 2022, 2023 | jiangsu-2021 |" in md


def test_workbook_marks_imputed_and_treated_cells(two_category_framework, four_units, tmp_path):
    openpyxl = pytest.importorskip("openpyxl", reason="python3-openpyxl is not installed (scripts/setup.sh)")
    if not parkscore.workbook_available():
        pytest.skip("parkscore was built without libxlsxwriter")
    fw = two_category_framework
    fw.update("a1", imputation={"method": "mean"})
    fw.update("b1", treatment={"method": "winsorise", "lower_quantile": 0.25, "upper_quantile": 0.75})
    data = four_units.copy()
    data.loc[1, "a1"] = np.nan   # u2: the mean of 0, 20, 40 = 20
    r = parkscore.evaluate(fw, data, pools=["all"])
    r.to_excel(tmp_path / "p.xlsx", grouping="all")
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["处理后数据"]
    assert [c.value for c in ws[1]] == ["代码", "名称", "组别", "a1", "a2", "b1"]
    cells = {row[0].value: row for row in ws.iter_rows(min_row=2)}
    a1 = cells["u2"][3]
    assert a1.value == 20 and "插补" in a1.comment.text and a1.fill.fgColor.rgb.endswith("FFF2CC")
    # b1 = 2, 4, 6, 8 winsorised to the type-7 quartiles 3.5 and 6.5: u1 and u4 are treated, u2 and u3 not
    for unit, value in (("u1", 3.5), ("u4", 6.5)):
        b1 = cells[unit][5]
        assert b1.value == pytest.approx(value) and "原始值" in b1.comment.text
        assert b1.fill.fgColor.rgb.endswith("FCE4D6")
    assert cells["u2"][5].value == 4 and cells["u2"][5].comment is None
    assert cells["u1"][3].comment is None and cells["u1"][3].number_format == "0.00"
