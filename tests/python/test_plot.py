"""Every chart draws headless (Agg) and has the expected number of elements."""

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

import parkscore
import parkscore.plot as pplot


@pytest.fixture
def demo_result(demo_framework_path, demo_csv):
    return parkscore.evaluate(demo_framework_path, demo_csv)


def bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_backend_is_agg():
    assert matplotlib.get_backend().lower() == "agg"


def test_rank_uncertainty():
    table = pd.DataFrame({"median": [3, 1, 2, 5, 4], "lo": [2, 1, 1, 3, 3], "hi": [4, 2, 3, 6, 6]},
                         index=["c", "a", "b", "e", "d"])
    fig = pplot.rank_uncertainty(table)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    (intervals,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(intervals.get_segments()) == 5
    (medians,) = ax.lines
    np.testing.assert_array_equal(medians.get_xdata(), [1, 2, 3, 4, 5])  # sorted by median
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c", "d", "e"]
    fig.canvas.draw()  # renders without a display
    with pytest.raises(parkscore.DataError, match="no column\\(s\\) hi"):
        pplot.rank_uncertainty(table.drop(columns="hi"))


def test_category_profile(demo_result):
    fig = pplot.category_profile(demo_result, "D03", grouping="level")
    ax = fig.axes[0]
    assert len(bars(ax)) == 2  # ECO, GRN
    (median,) = ax.lines
    # provincial pool D03, D04, D05, D06: the median of the ECO scores
    expected = demo_result.scores("level").loc[["D03", "D04", "D05", "D06"], "ECO"].median()
    assert median.get_ydata()[0] == pytest.approx(expected)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["经济发展", "生态集约"]
    fig.canvas.draw()


def test_contributions(demo_result):
    fig = pplot.contributions(demo_result, "D04")  # D04 has no fdi: 4 bars of 5 indicators
    assert len(bars(fig.axes[0])) == 4
    fig = pplot.contributions(demo_result, "D01", names=False)
    heights = [b.get_width() for b in bars(fig.axes[0])]
    assert len(heights) == 5 and heights == sorted(heights, reverse=True)
    fig.canvas.draw()


def test_rank_change(demo_result):
    later = demo_result.ranks("all")["index"].copy()
    later[:] = [2, 1, 3, 4, 6, 5]
    fig = pplot.rank_change(demo_result, later.drop("D06"), labels=("2022", "2023"), grouping="all")
    ax = fig.axes[0]
    assert len(ax.lines) == 5  # D06 is in one year only
    assert all(len(line.get_xdata()) == 2 for line in ax.lines)
    fig = pplot.rank_change(demo_result, demo_result)
    assert len(fig.axes[0].lines) == 6
    fig.canvas.draw()


def test_draws_into_given_axes(demo_result):
    fig = Figure()
    axes = fig.subplots(1, 2)
    assert pplot.contributions(demo_result, "D01", ax=axes[1]) is fig
    assert len(bars(axes[1])) == 5 and len(bars(axes[0])) == 0
