"""The statistical audit of an index (docs/audit.md) as pandas DataFrames."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import numpy as np
import pandas as pd

from . import _core
from ._result import Result, _grouping

_SHAPE = ["skew_before", "kurtosis_before", "skew_after", "kurtosis_after"]


class Audit:
    """The OECD/JRC handbook's checks of one pooling, every table a DataFrame.

    Attributes
    ----------
    grouping, label : str
        The pooling (``"all"`` for all units) and the pool label analysed (``""``: every label).
    units : int
        Ranked units analysed.
    pearson, spearman : DataFrame
        Correlations between the normalised indicators (indicator ids on both axes).
    indicators : DataFrame
        Per indicator (index: id): name, parent, present, units, missing_share,
        mean, sd, cv (raw values), the flags many_missing and low_variation,
        skewness and kurtosis before and after treatment, and the Pearson and
        Spearman correlation with its parent and with the index.
    coverage : DataFrame
        Per unit (index: unit id): present, total, share of indicators with a value.
    flags : DataFrame
        Pairs of indicators flagged (a, b, r, reason): negative within a
        category, or near duplicates.
    alpha : Series
        Cronbach's alpha per aggregate node (index: node id).
    eigenvalues : DataFrame
        PCA per aggregate node, index (node, component 1..k): eigenvalue and
        explained share of the correlation matrix of its children.
    loadings : dict
        Node id -> DataFrame of loadings (children x PC1..PCk).
    rank_reversal : DataFrame
        One row per perturbation (index: add_median_unit, ...): description,
        pairs compared, pairs reversed, examples.
    invariance : DataFrame
        Per step (node, method): invariant by construction, and why.
    """

    def __init__(self, raw: Dict[str, Any]) -> None:
        ids: List[str] = list(raw["indicator_ids"])
        self.grouping: str = raw["grouping"] or "all"
        self.label: str = raw["label"]
        self.units: int = int(raw["units"])
        self.pearson = pd.DataFrame(np.asarray(raw["pearson"]), index=ids, columns=ids)
        self.spearman = pd.DataFrame(np.asarray(raw["spearman"]), index=ids, columns=ids)
        self.indicators = pd.DataFrame(raw["indicators"]).set_index("id")
        self.coverage = pd.DataFrame(raw["coverage"], columns=["unit", "present", "total", "share"]).set_index("unit")
        self.flags = pd.DataFrame(raw["flags"], columns=["a", "b", "r", "reason"])
        cats = raw["categories"]
        self.alpha = pd.Series([c["alpha"] for c in cats], index=pd.Index([c["id"] for c in cats], name="node"),
                               name="alpha", dtype=float)
        rows, self.loadings = [], {}
        for c in cats:
            values = np.asarray(c["eigenvalues"], dtype=float)
            explained = np.asarray(c["explained"], dtype=float)
            rows += [(c["id"], k + 1, values[k], explained[k]) for k in range(len(values))]
            load = np.asarray(c["loadings"], dtype=float).reshape(len(c["children"]), len(values))
            self.loadings[c["id"]] = pd.DataFrame(load, index=list(c["children"]),
                                                  columns=[f"PC{k + 1}" for k in range(len(values))])
        self.eigenvalues = pd.DataFrame(rows, columns=["node", "component", "eigenvalue", "explained"]).set_index(
            ["node", "component"])
        self.rank_reversal = pd.DataFrame(raw["rank_reversal"], columns=["perturbation", "description", "pairs",
                                                                          "reversed", "examples"]).set_index("perturbation")
        self.invariance = pd.DataFrame(raw["invariance"], columns=["node", "method", "invariant", "reason"])

    @property
    def distribution(self) -> pd.DataFrame:
        """Skewness and kurtosis of each indicator before and after treatment."""
        return self.indicators[_SHAPE]

    def __repr__(self) -> str:
        return (f"<parkscore.Audit of '{self.grouping}'{' / ' + self.label if self.label else ''}: "
                f"{self.units} units, {len(self.indicators)} indicators, {len(self.flags)} flags>")


def audit(result: Result, grouping: Optional[str] = None, *, label: str = "", missing_share: float = 0.2,
          low_variation: float = 0.05, near_duplicate: float = 0.9, rank_reversal: bool = True) -> Audit:
    """Audits the index of ``result`` (docs/audit.md): coverage, low variance and many
    missing values, Pearson and Spearman correlations (flagging negative ones within a
    category and |r| > ``near_duplicate``), Cronbach's alpha and PCA per category,
    skewness and kurtosis before and after treatment, and rank reversal (four
    re-evaluations; ``rank_reversal=False`` skips them).

    ``grouping`` picks the pooling (default: the first evaluated); ``label`` one pool of
    it (default: every unit of the grouping). The data are those ``result`` was
    evaluated from (a Result made by parkscore.evaluate keeps them).
    """
    if result.data is None:
        raise _core.DataError("audit needs the evaluated data: use a Result made by parkscore.evaluate")
    g = _grouping(grouping, result.raw.groupings)
    return Audit(_core.audit(result.raw, result.data, g, label, missing_share, low_variation, near_duplicate,
                             rank_reversal))
