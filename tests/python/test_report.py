"""Result.explain / gap / what_if / report and the report charts (headless, Chinese labels)."""

import io
import warnings

import numpy as np
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
