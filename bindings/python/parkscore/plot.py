"""Charts of parkscore results (matplotlib; safe under the Agg backend).

Each function returns the matplotlib Figure; pass ``ax`` to draw into an
existing Axes instead of a new figure.
"""

from __future__ import annotations

import functools
from typing import Any, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from ._core import DataError
from ._result import Result

__all__ = ["rank_uncertainty", "sobol_indices", "category_profile", "contributions", "rank_change", "cjk_font", "apply_cjk_font",
           "framework_tree", "sunburst", "correlation_heatmap", "bar", "dot", "contributions_by_category", "profile",
           "default_figures"]

# Families tried in order; the first installed one is used for every text of a parkscore figure.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Serif CJK SC", "Source Han Sans SC",
                "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC")


@functools.lru_cache(maxsize=1)
def cjk_font() -> Optional[str]:
    """The family name of an installed CJK font (Noto CJK or WenQuanYi from Debian), or None.

    Fonts installed after matplotlib built its font cache are found by scanning
    the system font directories for CJK font files and registering them."""
    def known() -> Optional[str]:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((fam for fam in CJK_FAMILIES if fam in names), None)
    found = known()
    if found is None:
        for path in font_manager.findSystemFonts():
            lower = path.lower()
            if any(k in lower for k in ("cjk", "wqy", "wenquanyi", "sourcehan")):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        found = known()
    return found


def apply_cjk_font(fig: Figure) -> Figure:
    """Sets every text of ``fig`` to the CJK font (DejaVu Sans as the fallback for the rest)."""
    family = cjk_font()
    if family is not None:
        for t in fig.findobj(Text):
            t.set_fontfamily([family, "DejaVu Sans"])
    return fig


def _axes(ax: Optional[Axes], size: Tuple[float, float]) -> Tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size)  # no pyplot: no global state, no GUI backend needed
    return fig, fig.add_subplot()


def rank_uncertainty(table: pd.DataFrame, *, ax: Optional[Axes] = None, title: Optional[str] = None) -> Figure:
    """Median rank and its interval per unit, sorted by median (best at the top).

    ``table`` has one row per unit (the index labels the units) and columns
    ``median``, ``lo`` and ``hi`` (e.g. the 5th and 95th percentiles of the
    simulated ranks). Draws one horizontal interval line per unit (a
    LineCollection) and one marker per unit (a single Line2D). A
    ``nominal_rank`` column (parkscore.uncertainty() has one) is marked with
    red crosses (a second Line2D).
    """
    missing = [c for c in ("median", "lo", "hi") if c not in table.columns]
    if missing:
        raise DataError(f"rank_uncertainty: the table has no column(s) {', '.join(missing)}")
    t = table.sort_values("median", kind="stable")
    y = np.arange(len(t))
    fig, ax = _axes(ax, (6.0, 0.3 * len(t) + 1.5))
    ax.hlines(y, t["lo"], t["hi"], color="tab:blue", linewidth=2)
    ax.plot(t["median"], y, "o", color="black", markersize=4, label="median")
    if "nominal_rank" in t.columns:
        ax.plot(t["nominal_rank"], y, "x", color="tab:red", markersize=6, label="nominal")
        ax.legend(loc="lower right", fontsize="small")
    ax.set_yticks(y, [str(i) for i in t.index])
    ax.invert_yaxis()
    ax.set_xlabel("rank")
    ax.set_title(title or "Rank uncertainty (median and interval)")
    return fig


def sobol_indices(table: pd.DataFrame, *, ax: Optional[Axes] = None, title: Optional[str] = None) -> Figure:
    """First-order and total-effect Sobol indices per input as paired bars with their
    confidence intervals (the DataFrame of parkscore.sobol(): columns first, total and
    optionally first_lo/first_hi, total_lo/total_hi)."""
    missing = [c for c in ("first", "total") if c not in table.columns]
    if missing:
        raise DataError(f"sobol_indices: the table has no column(s) {', '.join(missing)}")
    x = np.arange(len(table))
    fig, ax = _axes(ax, (0.9 * len(table) + 2.5, 4.0))
    for offset, col, colour in ((-0.2, "first", "tab:blue"), (0.2, "total", "tab:orange")):
        err = None
        if f"{col}_lo" in table.columns and f"{col}_hi" in table.columns:
            err = np.vstack([np.clip(table[col] - table[f"{col}_lo"], 0, None),
                             np.clip(table[f"{col}_hi"] - table[col], 0, None)])
        ax.bar(x + offset, table[col], width=0.4, color=colour, yerr=err, capsize=3,
               label="first order $S_i$" if col == "first" else "total effect $S_{Ti}$")
    ax.set_xticks(x, [str(i) for i in table.index], rotation=30, ha="right")
    ax.set_ylabel("share of output variance")
    ax.legend(fontsize="small")
    ax.set_title(title or "Sobol sensitivity indices")
    return fig


def _pool_members(result: Result, unit: str, grouping: Optional[str]) -> pd.Index:
    labels = result.labels(grouping)
    members = labels.index[labels == labels[unit]]
    return members.difference(pd.Index(result.excluded.keys()), sort=False)


def category_profile(result: Result, unit: str, *, grouping: Optional[str] = None, level: int = 1,
                     ax: Optional[Axes] = None, names: bool = True) -> Figure:
    """One unit's scores of the nodes at ``level`` (bars) against the median of
    its pool (black markers on one line).

    The pool is the units sharing the unit's label in ``grouping``, without
    excluded units (they are not part of any pool statistic).
    """
    scores = result.scores(grouping, level=level, names=names)
    if unit not in scores.index:
        raise DataError(f"category_profile: no unit '{unit}' in the result")
    median = scores.loc[_pool_members(result, unit, grouping)].median()
    x = np.arange(scores.shape[1])
    fig, ax = _axes(ax, (1.2 * len(x) + 2.5, 4.0))
    ax.bar(x, scores.loc[unit].to_numpy(), color="tab:blue", label=str(unit))
    ax.plot(x, median.to_numpy(), "D", color="black", label="pool median")
    ax.set_xticks(x, [str(c) for c in scores.columns])
    ax.set_ylabel("score")
    ax.set_title(f"{result.unit_names[unit]}: profile against the pool median")
    ax.legend()
    return fig


def contributions(result: Result, unit: str, *, grouping: Optional[str] = None, names: bool = True,
                  ax: Optional[Axes] = None) -> Figure:
    """Each indicator's contribution to one unit's index score (absolute weight
    x normalised value, see Result.contributions), largest at the top; one bar
    per indicator with a value (missing indicators are left out)."""
    if unit not in result.unit_ids:
        raise DataError(f"contributions: no unit '{unit}' in the result")
    c = result.contributions(unit, grouping, names=names).dropna().sort_values(ascending=False)
    y = np.arange(len(c))
    fig, ax = _axes(ax, (6.0, 0.35 * len(c) + 1.5))
    ax.barh(y, c.to_numpy(), color="tab:green")
    ax.set_yticks(y, [str(i) for i in c.index])
    ax.invert_yaxis()
    ax.set_xlabel("contribution to the index score")
    ax.set_title(f"{result.unit_names[unit]}: contributions (total {c.sum():.2f})")
    return fig


RankSource = Union[Result, pd.Series]


def _rank_series(source: RankSource, node: Optional[str], grouping: Optional[str]) -> pd.Series:
    if isinstance(source, Result):
        return source.ranks(grouping, nodes=[node or source.framework.node_ids[0]]).iloc[:, 0]
    return source


def rank_change(before: RankSource, after: RankSource, *, labels: Sequence[str] = ("before", "after"),
                node: Optional[str] = None, grouping: Optional[str] = None, ax: Optional[Axes] = None) -> Figure:
    """Slope chart of ranks between two years: one line per unit ranked in both.

    ``before`` and ``after`` are Results (the ranks of ``node``, default the
    index, in ``grouping``) or rank Series indexed by unit id. Units ranked in
    only one of the two are left out. Rank 1 is at the top.
    """
    a, b = _rank_series(before, node, grouping), _rank_series(after, node, grouping)
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1, join="inner").dropna()
    fig, ax = _axes(ax, (5.0, 0.3 * len(both) + 2.0))
    for unit, row in both.iterrows():
        ax.plot([0, 1], [row["a"], row["b"]], "-o", markersize=4)
        ax.annotate(f"{unit} {row['a']:g}", (0, row["a"]), xytext=(-6, 0), textcoords="offset points", va="center",
                    ha="right")
        ax.annotate(f"{row['b']:g} {unit}", (1, row["b"]), xytext=(6, 0), textcoords="offset points", va="center")
    ax.set_xticks([0, 1], list(labels))
    ax.set_xlim(-0.6, 1.6)
    ax.invert_yaxis()
    ax.set_ylabel("rank")
    ax.set_title("Rank change")
    return apply_cjk_font(fig)


def _pool_of(result: Result, grouping: Optional[str], unit: Optional[str]) -> pd.Index:
    """Ranked units of the unit's pool (all ranked units of the grouping without a unit)."""
    labels = result.labels(grouping)
    members = labels.index if unit is None else labels.index[labels == labels[unit]]
    return members.difference(pd.Index(result.excluded.keys()), sort=False)


def framework_tree(source: Any, *, names: bool = True, ax: Optional[Axes] = None) -> Figure:
    """The framework as a tree, the index on the left, each node labelled with its
    share of the index (product of the normalised sibling weights)."""
    fw = source.framework if isinstance(source, Result) else source
    nodes = fw.nodes
    share = fw.absolute_weights()
    index = {n["id"]: i for i, n in enumerate(nodes)}
    parent = [-1 if n["parent"] is None else index[n["parent"]] for n in nodes]
    children: dict = {i: [] for i in range(len(nodes))}
    for i in range(len(nodes)):
        if parent[i] >= 0:
            children[parent[i]].append(i)
    y: dict = {}
    leaves = [0]

    def place(i: int) -> float:
        if not children[i]:
            y[i] = float(leaves[0])
            leaves[0] += 1
        else:
            y[i] = float(np.mean([place(c) for c in children[i]]))
        return y[i]

    place(0)
    depth = {0: 0}
    for i in range(1, len(nodes)):
        depth[i] = depth[parent[i]] + 1
    fig, ax = _axes(ax, (3.2 * (max(depth.values()) + 1), 0.35 * leaves[0] + 1.2))
    for i, n in enumerate(nodes):
        if parent[i] >= 0:
            p = parent[i]
            ax.plot([depth[p], depth[p] + 0.5, depth[p] + 0.5, depth[i]], [y[p], y[p], y[i], y[i]], color="0.6", lw=0.8)
        label = (n["name"] or n["id"]) if names else n["id"]
        ax.text(depth[i], y[i], f"{label} ({100 * share[i]:.1f}%)", va="center", ha="left", fontsize=8,
                bbox=dict(boxstyle="round,pad=0.2", fc="#e8edf3" if children[i] else "white", ec="0.7"))
    ax.set_xlim(-0.1, max(depth.values()) + 1.2)
    ax.set_ylim(leaves[0] - 0.5, -0.5)
    ax.axis("off")
    ax.set_title("指标体系 framework")
    return apply_cjk_font(fig)


# Colours of the index's children (the report's sunburst uses the same set); deeper levels are lighter.
_SUNBURST_COLOURS = ("#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#76B7B2", "#EDC948", "#B07AA1", "#FF9DA7",
                     "#9C755F", "#BAB0AC")


def sunburst(source: Any, *, names: bool = True, ring: float = 1.0, min_label_degrees: float = 9.0,
             ax: Optional[Axes] = None, title: Optional[str] = None) -> Figure:
    """The framework as a sunburst: the index in the centre, one ring per level, each
    node a wedge whose angle is its share of the index (product of the normalised
    sibling weights, ``Framework.absolute_weights()``) x 360 degrees, clockwise from
    twelve o'clock in framework order — the geometry of the HTML report's chart.

    ``source`` is a Framework or a Result. Each wedge is a ``matplotlib.patches.Wedge``
    whose ``gid`` is the node id; wedges narrower than ``min_label_degrees`` are not labelled.
    """
    from matplotlib.colors import to_rgb
    from matplotlib.patches import Circle, Wedge

    fw = source.framework if isinstance(source, Result) else source
    nodes = fw.nodes
    share = fw.absolute_weights()
    index = {n["id"]: i for i, n in enumerate(nodes)}
    depth = [0] * len(nodes)
    start = [0.0] * len(nodes)
    colour: List[Any] = [(0.91, 0.93, 0.95)] * len(nodes)
    children: dict = {i: [] for i in range(len(nodes))}
    for i, n in enumerate(nodes):
        if n["parent"] is not None:
            p = index[n["parent"]]
            children[p].append(i)
            depth[i] = depth[p] + 1
    for p in range(len(nodes)):   # parents come before their children
        angle = start[p]
        for k, c in enumerate(children[p]):
            start[c] = angle
            angle += 360.0 * share[c]
            colour[c] = to_rgb(_SUNBURST_COLOURS[k % len(_SUNBURST_COLOURS)]) if p == 0 else colour[p]
    deepest = max(depth)
    fig, ax = _axes(ax, (6.5, 6.5))

    def label(i: int) -> str:
        return str((nodes[i]["name"] or nodes[i]["id"]) if names else nodes[i]["id"])

    ax.add_patch(Circle((0, 0), ring, facecolor=colour[0], edgecolor="white"))
    ax.text(0, 0, label(0), ha="center", va="center", fontsize=10)
    for i in range(1, len(nodes)):
        sweep = 360.0 * share[i]
        if not sweep > 0:
            continue   # a zero weight has no wedge
        keep = 0.72 ** (depth[i] - 1)
        face = tuple(1.0 - (1.0 - c) * keep for c in colour[i])
        a0, a1 = start[i], start[i] + sweep
        # matplotlib measures counter-clockwise from three o'clock: theta = 90 - clockwise angle.
        w = Wedge((0, 0), ring * (depth[i] + 1), 90.0 - a1, 90.0 - a0, width=ring, facecolor=face, edgecolor="white",
                  linewidth=1)
        w.set_gid(nodes[i]["id"])
        ax.add_patch(w)
        if sweep >= min_label_degrees:
            mid = np.deg2rad(90.0 - (a0 + a1) / 2)
            r = ring * (depth[i] + 0.5)
            ax.text(r * np.cos(mid), r * np.sin(mid), f"{label(i)}\n{100 * share[i]:.1f}%", ha="center",
                    va="center", fontsize=7)
    limit = ring * (deepest + 1) * 1.02
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title or "指标体系权重 framework weights")
    return apply_cjk_font(fig)


def correlation_heatmap(result: Result, grouping: Optional[str] = None, *, method: str = "pearson",
                        names: bool = True, ax: Optional[Axes] = None) -> Figure:
    """Correlations between the normalised indicators over the ranked units
    (``method``: pearson or spearman), annotated, on a diverging -1..1 scale."""
    x = result.normalised(grouping, names=names).loc[_pool_of(result, grouping, None)]
    c = x.corr(method=method)
    n = len(c)
    fig, ax = _axes(ax, (0.55 * n + 2.5, 0.5 * n + 1.5))
    im = ax.imshow(c.to_numpy(), cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_xticks(range(n), [str(i) for i in c.columns], rotation=60, ha="right")
    ax.set_yticks(range(n), [str(i) for i in c.index])
    for i in range(n):
        for j in range(n):
            v = c.iat[i, j]
            if np.isfinite(v):
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7, color="white" if abs(v) > 0.6 else "black")
    fig.colorbar(im, ax=ax, shrink=0.8)
    ax.set_title(f"{method.capitalize()} 相关系数 correlation")
    return apply_cjk_font(fig)


def bar(result: Result, node: Optional[str] = None, grouping: Optional[str] = None, *,
        highlight: Optional[str] = None, names: bool = True, ax: Optional[Axes] = None) -> Figure:
    """Scores of one node (default the index) for the ranked units of a pool
    (the highlighted unit's pool, else all), best at the top, ``highlight`` in orange."""
    node = node or result.framework.node_ids[0]
    s = result.scores(grouping, nodes=[node]).iloc[:, 0].loc[_pool_of(result, grouping, highlight)]
    s = s.dropna().sort_values(ascending=False, kind="stable")
    labels = [result.unit_names[u] if names else u for u in s.index]
    fig, ax = _axes(ax, (6.5, 0.28 * len(s) + 1.5))
    colors = ["tab:orange" if u == highlight else "tab:blue" for u in s.index]
    ax.barh(np.arange(len(s)), s.to_numpy(), color=colors)
    ax.set_yticks(np.arange(len(s)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("得分 score")
    ax.set_title(f"{_node_name(result, node, names)}")
    return apply_cjk_font(fig)


def dot(result: Result, grouping: Optional[str] = None, *, level: int = 1, highlight: Optional[str] = None,
        names: bool = True, ax: Optional[Axes] = None) -> Figure:
    """One row per node at ``level``: every ranked unit's score as a grey dot, the
    highlighted unit as an orange diamond."""
    scores = result.scores(grouping, level=level, names=names).loc[_pool_of(result, grouping, highlight)]
    fig, ax = _axes(ax, (6.5, 0.45 * scores.shape[1] + 1.5))
    for i, col in enumerate(scores.columns):
        v = scores[col].dropna()
        ax.plot(v.to_numpy(), np.full(len(v), i), "o", color="0.55", alpha=0.6, markersize=5)
        if highlight is not None and np.isfinite(scores.at[highlight, col]):
            ax.plot([scores.at[highlight, col]], [i], "D", color="tab:orange", markersize=8)
    ax.set_yticks(range(scores.shape[1]), [str(c) for c in scores.columns])
    ax.invert_yaxis()
    ax.set_xlabel("得分 score")
    ax.set_title("分布 distribution" + (f" — {result.unit_names[highlight]}" if highlight else ""))
    return apply_cjk_font(fig)


def _node_name(result: Result, node: str, names: bool) -> str:
    for n in result.framework.nodes:
        if n["id"] == node:
            return (n["name"] or node) if names else node
    return node


def contributions_by_category(result: Result, units: Optional[Sequence[str]] = None, grouping: Optional[str] = None,
                              *, top: int = 15, names: bool = True, ax: Optional[Axes] = None) -> Figure:
    """Each unit's index score stacked by its categories' exact contributions
    (Result.explain; they add up to the score). Default: the ``top`` best ranked units."""
    if units is None:
        ranks = result.ranks(grouping).iloc[:, 0].dropna().sort_values(kind="stable")
        units = list(ranks.index[:top])
    parts = {}
    for u in units:
        cats = result.explain(u, grouping)["categories"]
        level1 = cats[cats["depth"] == 1]
        parts[result.unit_names[u] if names else u] = pd.Series(level1["points"].to_numpy(),
                                                                index=level1["name"] if names else level1.index)
    table = pd.DataFrame(parts).T.fillna(0.0)
    fig, ax = _axes(ax, (7.0, 0.32 * len(table) + 1.8))
    left = np.zeros(len(table))
    y = np.arange(len(table))
    for col in table.columns:
        ax.barh(y, table[col].to_numpy(), left=left, label=str(col))
        left += table[col].to_numpy()
    ax.set_yticks(y, [str(i) for i in table.index])
    ax.invert_yaxis()
    ax.set_xlabel("贡献 contribution to the index")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title("分类贡献 contributions by category")
    return apply_cjk_font(fig)


def profile(result: Result, unit: str, grouping: Optional[str] = None, *, ax: Optional[Axes] = None) -> Figure:
    """One unit's categories on a common 0-100 scale: 100 x points / full marks
    (docs/explain.md), with the pool median and best of the shown scores on the
    same scale (converted with the unit's points-per-score factor)."""
    e = result.explain(unit, grouping)
    cats = e["categories"][e["categories"]["depth"] == 1]
    to100 = 100.0 * cats["points"] / cats["maximum"]
    per_score = to100 / cats["score"]
    x = np.arange(len(cats))
    fig, ax = _axes(ax, (1.2 * len(x) + 3, 4.0))
    ax.bar(x, to100.to_numpy(), color="tab:blue", label=str(result.unit_names[unit]))
    ax.plot(x, (cats["pool_median"] * per_score).to_numpy(), "D", color="black", label="组内中位数 pool median")
    ax.plot(x, (cats["pool_best"] * per_score).to_numpy(), "_", color="tab:red", markersize=20, label="组内最好 pool best")
    ax.set_xticks(x, [str(n) for n in cats["name"]])
    ax.set_ylim(0, 105)
    ax.set_ylabel("满分=100 (full marks = 100)")
    ax.set_title(f"{result.unit_names[unit]}: 分类得分 category profile")
    ax.legend(fontsize=8)
    return apply_cjk_font(fig)


def default_figures(result: Result, grouping: Optional[str] = None, zones: Sequence[str] = (),
                    previous: Optional[Result] = None) -> List[Tuple[str, Figure]]:
    """The charts Result.report() inlines besides the document's own (ranking bars, the
    framework sunburst, rank intervals): the correlations, the index bar chart,
    contributions by category, the rank change slope chart against ``previous``, and per
    zone its profile, its position among the categories and its index bar highlighted."""
    out: List[Tuple[str, Figure]] = [("相关性 Correlations", correlation_heatmap(result, grouping)),
                                     ("综合得分 Index", bar(result, grouping=grouping)),
                                     ("分类贡献 Contributions", contributions_by_category(result, grouping=grouping))]
    if previous is not None:
        out.append(("排名变化 Rank change", rank_change(previous, result, labels=("上年 previous", "本年 current"),
                                                        grouping=grouping)))
    for z in zones:
        name = result.unit_names.get(z, z)
        out.append((f"{name} 分类得分", profile(result, z, grouping)))
        out.append((f"{name} 位置", dot(result, grouping, highlight=z)))
        out.append((f"{name} 综合得分", bar(result, grouping=grouping, highlight=z)))
    return out
