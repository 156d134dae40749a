"""Weighting and preparation methods on numpy arrays and pandas objects.

Thin wrappers over parkscore._core: the column names of a DataFrame (or the
``names``/``columns`` given) label the weights, which come back as a pandas
Series; diagnostics are plain dicts of numbers and numpy arrays, exactly the
C++ values (docs/weighting.md, docs/preparation.md).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core

ArrayLike = Union[np.ndarray, pd.DataFrame, Sequence[Sequence[float]]]


def _matrix(data: ArrayLike, columns: Optional[Sequence[str]]) -> Tuple[np.ndarray, list]:
    if isinstance(data, pd.DataFrame):
        names = [str(c) for c in data.columns] if columns is None else list(columns)
        return data.to_numpy(dtype=float), names
    return np.asarray(data, dtype=float), [] if columns is None else list(columns)


def _labelled(result: Dict[str, Any], names: list) -> Dict[str, Any]:
    if names:
        result["weights"] = pd.Series(result["weights"], index=pd.Index(names), name="weight")
    for part in result.get("parts", []):
        _labelled(part, names)
    return result


def ahp_weights(matrix: ArrayLike, *, names: Optional[Sequence[str]] = None, method: str = "eigenvector",
                ri_table: str = "saaty", max_cr: float = 0.10, allow_inconsistent: bool = False,
                reciprocal_tolerance: float = 0.01) -> Dict[str, Any]:
    """AHP weights of a k x k pairwise comparison matrix on Saaty's 1-9 scale.

    The upper triangle is authoritative (the lower is replaced by its exact
    reciprocals). ``method``: eigenvector or geometric_mean; ``ri_table``:
    saaty or alternative. Returns a dict: weights (a Series when ``names`` or
    a DataFrame's columns label them), method, and ``ahp`` = lambda_max, ci,
    ri, cr, consistent, least_consistent (index pairs, worst first).

    Raises MethodError if the matrix is not positive and reciprocal, or if
    CR >= max_cr unless ``allow_inconsistent`` (the message names the least
    consistent comparisons).
    """
    a, labels = _matrix(matrix, names)
    return _labelled(_core.ahp_weights(a, method, ri_table, max_cr, allow_inconsistent, reciprocal_tolerance,
                                       labels), labels)


def entropy_weights(data: ArrayLike, *, policy: str = "shift_min", shift: float = 0.01,
                    columns: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """Entropy weights (熵权法) of an N x k table (rows with NaN left out):
    w_j ∝ 1 - e_j. ``policy``: shift_min (a column with min <= 0 is shifted
    by |min| + shift) or require_nonnegative. Diagnostics in ``entropy``."""
    x, labels = _matrix(data, columns)
    return _labelled(_core.entropy_weights(x, policy, shift, labels), labels)


def critic_weights(data: ArrayLike, *, correlation: str = "r",
                   columns: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """CRITIC weights: w_j ∝ s_j Σ_k (1 - r_jk) (``correlation="abs_r"``:
    1 - |r_jk|). Diagnostics in ``critic``: sd, r, conflict, information."""
    x, labels = _matrix(data, columns)
    return _labelled(_core.critic_weights(x, correlation, labels), labels)


def variation_weights(data: ArrayLike, *, columns: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """Coefficient-of-variation weights: w_j ∝ s_j / mean_j. Diagnostics in ``variation``."""
    x, labels = _matrix(data, columns)
    return _labelled(_core.variation_weights(x, labels), labels)


def pca_weights(data: ArrayLike, *, min_eigenvalue: float = 1.0, min_cumulative: Optional[float] = None,
                kaiser_normalise: bool = True, columns: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """PCA / factor-analysis weights as in the OECD/JRC handbook (2008) §6.1:
    factors with eigenvalue > min_eigenvalue (then up to ``min_cumulative``
    explained variance), varimax rotation, squared scaled loadings. Diagnostics
    in ``pca``."""
    x, labels = _matrix(data, columns)
    return _labelled(_core.pca_weights(x, min_eigenvalue, min_cumulative, kaiser_normalise, labels), labels)


def _weight_vector(w: Any) -> Tuple[np.ndarray, list]:
    if isinstance(w, dict):
        w = w["weights"]
    if isinstance(w, pd.Series):
        return w.to_numpy(dtype=float), [str(i) for i in w.index]
    return np.asarray(w, dtype=float), []


def combine_weights(subjective: Any, objective: Any, *, how: str = "linear", alpha: float = 0.5) -> Dict[str, Any]:
    """Combines two weightings (each a weight vector, Series or the dict of one
    of the functions above): ``how="linear"``: alpha w_s + (1 - alpha) w_o;
    ``"multiplicative"``: w_s w_o / Σ w_s w_o."""
    s, names = _weight_vector(subjective)
    o, other = _weight_vector(objective)
    return _labelled(_core.combine_weights(s, o, how, alpha), names or other)


def skewness(x: Any) -> float:
    """Sample skewness of the non-missing values, as Excel's SKEW."""
    return _core.skewness(np.asarray(x, dtype=float))


def kurtosis(x: Any) -> float:
    """Sample excess kurtosis of the non-missing values, as Excel's KURT."""
    return _core.kurtosis(np.asarray(x, dtype=float))


def fails_outlier_rule(x: Any, *, skew: float = 2.0, kurtosis_threshold: float = 3.5) -> bool:
    """The JRC outlier rule on the values ``x``: |skewness| >= skew and
    kurtosis >= kurtosis_threshold (False when either is undefined)."""
    v = np.asarray(x, dtype=float)
    return _core.fails_outlier_rule(_core.skewness(v), _core.kurtosis(v), skew, kurtosis_threshold)


def treat(x: Any, method: str = "jrc", *, max_winsorised: int = 5, skew: float = 2.0, kurtosis: float = 3.5,
          lower_quantile: float = 0.05, upper_quantile: float = 0.95, lambda_: Optional[float] = None,
          reference: Optional[Sequence[bool]] = None, indicator: str = "", pool: str = "all"
          ) -> Tuple[pd.Series, Dict[str, Any]]:
    """Outlier treatment of one column (NaN stays missing), fitted on the
    ``reference`` units (default: all) and applied to every value.

    ``method``: jrc (winsorise up to max_winsorised points while |skew| >= skew
    and kurtosis >= kurtosis, else a shifted log), winsorise (to the
    lower/upper quantiles), log, shifted_log, box_cox (needs ``lambda_``),
    none. Returns the treated values (a Series with the index of ``x``) and
    the record (skewness/kurtosis before and after, the fitted constants, the
    points changed).
    """
    series = x if isinstance(x, pd.Series) else pd.Series(np.asarray(x, dtype=float))
    units = [str(i) for i in series.index]
    values, record = _core.treat(series.to_numpy(dtype=float), method, max_winsorised, skew, kurtosis,
                                 lower_quantile, upper_quantile, lambda_, units,
                                 [] if reference is None else [bool(r) for r in reference],
                                 indicator or str(series.name or ""), pool)
    return pd.Series(values, index=series.index, name=series.name), record
