"""Charts of parkscore results (matplotlib; safe under the Agg backend).

Each function returns the matplotlib Figure; pass ``ax`` to draw into an
existing Axes instead of a new figure.
"""

from __future__ import annotations

from typing import Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._core import DataError
from ._result import Result

__all__ = ["rank_uncertainty", "sobol_indices", "category_profile", "contributions", "rank_change"]


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
        return source.ranks(grouping, nodes=[node or source.framework.node_ids()[0]]).iloc[:, 0]
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
        ax.annotate(str(unit), (1, row["b"]), xytext=(6, 0), textcoords="offset points", va="center")
    ax.set_xticks([0, 1], list(labels))
    ax.set_xlim(-0.2, 1.4)
    ax.invert_yaxis()
    ax.set_ylabel("rank")
    ax.set_title("Rank change")
    return fig
