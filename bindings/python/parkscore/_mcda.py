"""Beyond weighted sums: benefit of the doubt, outranking and Condorcet-Kemeny.

Thin wrappers over parkscore._core (formulas in docs/methods.md, "Beyond weighted sums"):
DataFrames in (units as rows, indicators as columns, normalised so that higher
is better), DataFrames out, indexed by unit id. Restrictions name indicators
by column label.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._result import Result

Bounds = Mapping[str, Tuple[float, float]]


def _column(columns: list, name: str, what: str) -> int:
    if name not in columns:
        raise _core.SchemaError(f"{what}: '{name}' is not a column (columns: {', '.join(columns)})")
    return columns.index(name)


def _bounds(columns: list, bounds: Optional[Bounds], what: str, default_hi: float) -> list:
    out = []
    for name, (lo, hi) in (bounds or {}).items():
        out.append((_column(columns, str(name), what), float(lo), default_hi if hi is None else float(hi)))
    return out


def benefit_of_the_doubt(
    data: pd.DataFrame,
    *,
    variant: str = "per_unit",
    weight_bounds: Optional[Bounds] = None,
    share_bounds: Optional[Bounds] = None,
    assurance_factor: float = 0.0,
    assurance_pairs: Optional[Sequence[Tuple[str, str, float, float]]] = None,
    nominal: Optional[Union[pd.Series, Mapping[str, float]]] = None,
    peers: int = 20,
    replicates: int = 100,
    seed: int = 1,
) -> pd.DataFrame:
    """Benefit-of-the-doubt scores: each unit's own best weights, no unit above 1.

    ``data``: units x indicators, values >= 0 (DataError names the unit and
    indicator otherwise). ``variant``: per_unit, common (one weight vector
    maximising the sum of scores) or robust (order-m: the mean score against
    ``peers`` units drawn with replacement, ``replicates`` times, from
    ``seed``). ``weight_bounds`` / ``share_bounds``: {indicator: (lo, hi)} on
    the weight and on the indicator's share of the unit's score (hi None = no
    bound). ``assurance_factor`` f >= 1: every ratio (w_j/w_k)/(n_j/n_k) within
    [1/f, f]; ``assurance_pairs``: (a, b, lo, hi) for one pair; both need the
    ``nominal`` weights by indicator.

    Returns a DataFrame indexed by unit: score (and full_score for robust),
    one ``w_<indicator>`` column per weight, and ``peers`` (list of unit ids
    with zero slack under the unit's weights).
    """
    columns = [str(c) for c in data.columns]
    units = [str(i) for i in data.index]
    nominal_vector = np.zeros(0)
    if nominal is not None:
        series = pd.Series(nominal, dtype=float)
        nominal_vector = np.array([series.get(c, np.nan) for c in columns], dtype=float)
    pairs = [(_column(columns, str(a), "assurance pair"), _column(columns, str(b), "assurance pair"), float(lo),
              float(hi)) for a, b, lo, hi in (assurance_pairs or [])]
    raw = _core.benefit_of_the_doubt(
        data.to_numpy(dtype=float), variant, _bounds(columns, weight_bounds, "weight bound", float("inf")),
        _bounds(columns, share_bounds, "share bound", 1.0), float(assurance_factor), pairs, nominal_vector,
        int(peers), int(replicates), int(seed), units, columns)
    return _bod_frame(raw, units, columns)


def _bod_frame(raw: Dict[str, Any], units: list, columns: list) -> pd.DataFrame:
    frame = pd.DataFrame({"score": raw["scores"]}, index=pd.Index(units, name="id"))
    if "full_scores" in raw:
        frame["full_score"] = raw["full_scores"]
    weights = pd.DataFrame(np.asarray(raw["weights"]), index=frame.index, columns=[f"w_{c}" for c in columns])
    frame = pd.concat([frame, weights], axis=1)
    frame["peers"] = [[units[k] for k in p] for p in raw["peers"]]
    return frame


def outranking_matrix(data: pd.DataFrame, weights: Optional[Union[pd.Series, Mapping[str, float]]] = None, *,
                      tie_tolerance: float = 0.0) -> pd.DataFrame:
    """e[j, k] = share of the indicator weight on which unit j beats unit k (ties
    split half; equal weights if ``weights`` is None). Indexed by unit both ways."""
    columns = [str(c) for c in data.columns]
    units = [str(i) for i in data.index]
    if weights is None:
        w = np.ones(len(columns))
    else:
        series = pd.Series(weights, dtype=float)
        missing = [c for c in columns if c not in series.index]
        if missing:
            raise _core.SchemaError(f"outranking weights: no weight for {', '.join(missing)}")
        w = series[columns].to_numpy(dtype=float)
    e = _core.outranking_matrix(data.to_numpy(dtype=float), w, float(tie_tolerance), units, columns)
    index = pd.Index(units, name="id")
    return pd.DataFrame(e, index=index, columns=index.rename(None))


def kemeny_ranking(outranking: pd.DataFrame, *, solver: str = "auto", exact_limit: int = 20,
                   max_passes: int = 1000) -> pd.DataFrame:
    """The Condorcet-Kemeny ranking of an outranking matrix (from outranking_matrix).

    ``solver``: auto (exact up to ``exact_limit`` units), exact or heuristic.
    Returns a DataFrame indexed by unit in rank order with column ``rank``;
    ``.attrs`` holds score, upper_bound, gap (upper_bound - score; 0 proves
    optimality) and exact.
    """
    raw = _core.kemeny_ranking(outranking.to_numpy(dtype=float), solver, int(exact_limit), int(max_passes))
    units = [str(i) for i in outranking.index]
    order = list(raw["order"])
    frame = pd.DataFrame({"rank": np.asarray(raw["rank"])[order].astype(int)},
                         index=pd.Index([units[i] for i in order], name="id"))
    frame.attrs.update({k: raw[k] for k in ("score", "upper_bound", "gap", "exact")})
    return frame


def analyse(result: Result, spec: Union[Mapping[str, Any], str, "os.PathLike[str]"]) -> pd.DataFrame:
    """Runs an analysis spec on an evaluation (docs/methods.md, "Beyond weighted sums").

    ``spec``: a dict such as ``{"method": "bod", "node": "index", "pool":
    "level", "restrictions": {...}}``, or the path of a JSON file. Returns one
    row per ranked unit with its pool label and, next to the weighted-sum rank
    (``nominal_rank``), the BoD score, weights and peers or the Kemeny rank;
    ``.attrs["pools"]`` holds each pool's Kemeny score, upper bound, gap and
    outranking matrix; ``.attrs["dropped"]`` the units left out for a missing
    value (spec ``"missing": "drop_units"``; the default is a DataError).
    """
    if isinstance(spec, Mapping):
        text, source = json.dumps(spec), "<spec>"
    else:
        with open(os.fspath(spec), encoding="utf-8") as f:
            text, source = f.read(), os.fspath(spec)
    raw = _core.run_mcda(result.raw, text, source)
    ranks = result.ranks(raw["grouping"] or "all", nodes=[raw["node"]])[raw["node"]]
    frames, pools, dropped = [], {}, []
    for pool in raw["pools"]:
        dropped += list(pool["dropped"])
        units = list(pool["units"])
        if "bod" in pool:
            frame = _bod_frame(pool["bod"], units, list(raw["indicators"]))
        else:
            k = pool["kemeny"]
            frame = pd.DataFrame({"kemeny_rank": np.asarray(k["rank"]).astype(int)}, index=pd.Index(units, name="id"))
            index = pd.Index(units)
            pools[pool["label"] or "all"] = {
                "score": k["score"], "upper_bound": k["upper_bound"], "gap": k["gap"], "exact": k["exact"],
                "outranking": pd.DataFrame(np.asarray(pool["outranking"]), index=index, columns=index)}
        frame.insert(0, "pool", pool["label"] or "all")
        frame.insert(1, "nominal_rank", ranks.loc[units].to_numpy())
        frames.append(frame)
    out = pd.concat(frames) if frames else pd.DataFrame()
    out.attrs["method"] = raw["method"]
    out.attrs["node"] = raw["node"]
    out.attrs["dropped"] = dropped
    if pools:
        out.attrs["pools"] = pools
    return out
