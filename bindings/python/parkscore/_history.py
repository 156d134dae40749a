"""Several years of results: rank tables, rank changes and the delisting watch (docs/history.md)."""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Union

import pandas as pd

from . import _core
from ._result import Result


def _grouping(grouping: Optional[str]) -> str:
    return "" if grouping in (None, "", "all") else grouping


def rank_table(result: Result, grouping: Optional[str] = "level", *, node: Optional[str] = None) -> pd.DataFrame:
    """One pooling's ranking (index: unit id): name, pool, rank (NaN =
    unranked), score of the ranked node (default: the index), veto_reason."""
    rows = _core.rank_table(result.raw, _grouping(grouping), node or "", 0, 1)
    return pd.DataFrame(rows, columns=["unit", "name", "pool", "rank", "score", "veto_reason"]).set_index("unit")


def rank_changes(previous_result: Result, current_result: Result, grouping: Optional[str] = "level", *,
                 node: Optional[str] = None) -> pd.DataFrame:
    """Rank changes of every unit of ``current_result`` against
    ``previous_result`` in the same pooling (index: unit id).

    Columns: pool, status (moved, new_entrant — absent last year or in another
    pool —, no_previous_rank, vetoed, unranked), previous, current, change
    (previous - current: positive = rose; NaN unless moved) and display
    ("↑12", "↓3", "–", "new", "n/a").
    """
    rows = _core.rank_changes(previous_result.raw, current_result.raw, _grouping(grouping), node or "")
    return pd.DataFrame(rows, columns=["unit", "pool", "status", "previous", "current", "change",
                                       "display"]).set_index("unit")


def delisting_watch(results_by_year: Mapping[int, Result], rule: Union[str, Dict[str, Any]] = "jiangsu-2021", *,
                    evaluation_year: Optional[int] = None, lag: int = 1) -> pd.DataFrame:
    """The delisting watch list (摘牌/退出预警).

    ``results_by_year`` maps the data year of each result to it (evaluation
    year = data year + ``lag``: the 2024 round uses 2023 data; pass lag=0 if
    the keys are evaluation years). ``rule`` is a built-in rule name (see
    delisting_rule_names()) or a rule dict with the keys of the rule file
    format. The list is as of ``evaluation_year`` (default: the latest), by
    pool, most at risk first: unit, name, pool, hit_years (evaluation years in
    the bottom), rule, order_value (latest place, or mean score).
    """
    raw = {int(year): r.raw for year, r in results_by_year.items()}
    rows = _core.delisting_watch(raw, rule, evaluation_year, lag)
    return pd.DataFrame(rows, columns=["unit", "name", "pool", "hit_years", "rule", "order_value"])


def delisting_rule(name: str) -> Dict[str, Any]:
    """A built-in delisting rule as a dict (the keys of the rule file format)."""
    return _core.delisting_rule(name)


def delisting_rule_names() -> list:
    """Names of the built-in delisting rules."""
    return list(_core.delisting_rule_names())
