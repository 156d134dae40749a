"""Uncertainty and sensitivity analysis (docs/uncertainty.md).

``uncertainty()`` returns per-unit rank statistics as a DataFrame; ``sobol()``
the Sobol indices of the declared inputs; ``smaa()`` SMAA-2 acceptabilities.
With ``client=distributed.Client(...)`` the replicate ranges run on a Dask
cluster: the compiled engine is sent once (scattered), each task returns
mergeable integer counts, and the merged result has the same bits as a local
run with the same seed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._core import Dataset, Framework
from ._progress import Progress
from ._progress import resolve as _resolve_progress

SpecLike = Union[Mapping[str, Any], str, "os.PathLike[str]"]

__all__ = ["uncertainty", "sobol", "smaa", "uncertainty_engine", "SmaaResult"]


def _spec_json(spec: SpecLike) -> str:
    if isinstance(spec, Mapping):
        return json.dumps(spec)
    text = os.fspath(spec)
    if text.lstrip().startswith("{"):
        return text
    with open(text, encoding="utf-8") as f:
        return f.read()


def uncertainty_engine(framework, data, spec: SpecLike, *, reps: int = 1000, seed: int = 1, threads: int = 1,
                       pool: Optional[str] = None, interval: Tuple[float, float] = (5, 95), top: int = 3,
                       bottom: int = 3, allow_extra_columns: bool = False, **data_options) -> "_core.UncertaintyEngine":
    """Compiles an analysis once (nominal evaluation, data normalised per distinct choice)."""
    from . import _as_framework, _dataset_for  # late: the package imports this module

    model: Framework = _as_framework(framework)
    grouping = (model.pools[0] if model.pools else "") if pool is None else ("" if pool in ("", "all") else pool)
    dataset: Dataset = _dataset_for(model, data, [*model.pools, grouping], **data_options)
    lo, hi = interval
    if not (0 <= lo <= hi <= 100):
        raise ValueError(f"interval {interval!r}: expected (lo, hi) percent with 0 <= lo <= hi <= 100")
    return _core.UncertaintyEngine(model, dataset, _spec_json(spec), int(reps), int(seed), int(threads), grouping,
                                   lo / 100.0, hi / 100.0, int(top), int(bottom), allow_extra_columns)


def _frame(stats: dict) -> pd.DataFrame:
    columns = ["pool", "pool_size", "nominal_score", "nominal_rank", "median", "lo", "hi", "mean", "p_top",
               "p_bottom", "mean_abs_shift", "unranked"]
    frame = pd.DataFrame({c: stats[c] for c in columns}, index=pd.Index(stats["unit"], name="unit"))
    frame.attrs["interval"] = tuple(stats["interval"])
    frame.attrs["top"] = stats["top"]
    frame.attrs["bottom"] = stats["bottom"]
    return frame


def _run_on_cluster(engine, client, reps: int, chunks: Optional[int]):
    """Replicate ranges as Dask tasks; partials merged in range order (exact either way)."""
    n_chunks = chunks or max(1, 4 * len(client.scheduler_info().get("workers", {})) or 1)
    n_chunks = max(1, min(n_chunks, reps))
    bounds = np.linspace(0, reps, n_chunks + 1).astype(int)
    [remote] = client.scatter([engine], broadcast=True)   # the compiled state, sent once
    futures = [client.submit(_run_range, remote, int(b), int(e), pure=False)
               for b, e in zip(bounds[:-1], bounds[1:]) if e > b]
    merged = _core.UncertaintyPartial()
    for part in client.gather(futures):
        merged.merge(part)
    return merged


def _run_range(engine, begin: int, end: int):
    return engine.run_range(begin, end)


def uncertainty(framework, data, spec: SpecLike, *, reps: int = 1000, seed: int = 1, threads: int = 1,
                pool: Optional[str] = None, interval: Tuple[float, float] = (5, 95), top: int = 3, bottom: int = 3,
                progress: Progress = None, client=None, chunks: Optional[int] = None,
                return_partial: bool = False, **data_options):
    """Per-unit rank statistics under the declared uncertain inputs.

    Parameters
    ----------
    framework, data
        As for evaluate(): a Framework, preset name or file; a DataFrame, Dataset or CSV path.
    spec
        The uncertain inputs: a dict ``{"inputs": [...]}`` (or ``{"uncertainty": {...}}``), JSON
        text or a JSON file (docs/uncertainty.md lists the input types).
    reps, seed, threads
        Monte Carlo replicates; the seed fixes every draw (same bits for any thread count,
        any chunking and on a cluster).
    pool
        The pooling whose ranks are analysed (default: the framework's first).
    interval, top, bottom
        The rank interval in percent; P(rank <= top) and P(among the last ``bottom``).
    progress
        None, True (tqdm) or a callable(done, total).
    client
        A ``distributed.Client``: run replicate ranges as Dask tasks (``chunks`` of them).
    return_partial
        Also return the merged UncertaintyPartial (for merging with more replicates later).

    Returns
    -------
    DataFrame indexed by unit: pool, pool_size, nominal_score, nominal_rank, median, lo, hi,
    mean, p_top, p_bottom, mean_abs_shift, unranked (share of replicates without a rank).
    ``parkscore.plot.rank_uncertainty`` draws it directly.
    """
    engine = uncertainty_engine(framework, data, spec, reps=reps, seed=seed, threads=threads, pool=pool,
                                interval=interval, top=top, bottom=bottom, **data_options)
    if client is not None:
        partial = _run_on_cluster(engine, client, int(reps), chunks)
    else:
        partial = engine.run_range(0, int(reps), _resolve_progress(progress, "uncertainty"))
    frame = _frame(engine.statistics(partial))
    frame.attrs["replicates"] = int(reps)
    frame.attrs["seed"] = int(seed)
    frame.attrs["fast_path"] = engine.fast_path
    return (frame, partial) if return_partial else frame


def sobol(framework, data, spec: SpecLike, *, base_samples: int = 1000, output: str = "mean_abs_rank_shift",
          unit: str = "", bootstrap: int = 200, confidence: float = 0.95, seed: int = 1, threads: int = 1,
          pool: Optional[str] = None, progress: Progress = None, **data_options) -> pd.DataFrame:
    """First-order and total-effect Sobol indices of each declared input (a group of weights counts
    as one input) on ``output``: "mean_abs_rank_shift", "rank" or "score" (of ``unit``).

    Returns a DataFrame indexed by input with columns first, first_lo, first_hi, total, total_lo,
    total_hi; ``attrs`` hold the sum of first-order indices with its interval, ``sum_check``
    (lower end <= 1), the output variance and the number of model evaluations.
    """
    engine = uncertainty_engine(framework, data, spec, seed=seed, threads=threads, pool=pool, **data_options)
    r = engine.sobol(int(base_samples), output, unit, int(bootstrap), float(confidence), int(seed),
                     _resolve_progress(progress, "sobol"))
    frame = pd.DataFrame({k: r[k] for k in ("first", "first_lo", "first_hi", "total", "total_lo", "total_hi")},
                         index=pd.Index(r["input"], name="input"))
    for k in ("first_sum", "first_sum_lo", "first_sum_hi", "sum_check", "variance", "evaluations"):
        frame.attrs[k] = r[k]
    return frame


@dataclass
class SmaaResult:
    """SMAA-2 descriptors (Lahdelma and Salminen 2001)."""

    acceptability: pd.DataFrame   # units x ranks: share of draws giving the unit each rank
    central_weights: pd.DataFrame  # units x criteria: mean weights where the unit ranks first
    confidence: pd.Series         # P(rank 1 at the unit's central weights)
    node: str


def smaa(framework, data, node: Optional[str] = None, *, bounds: Optional[Mapping[str, Sequence[float]]] = None,
         order: Optional[Sequence[str]] = None, reps: int = 10000, seed: int = 1, threads: int = 1,
         pool: Optional[str] = None, extra_inputs: Sequence[Mapping[str, Any]] = (), progress: Progress = None,
         **data_options) -> SmaaResult:
    """SMAA-2 rank acceptability: weights of ``node``'s children (default: the root's) uniform on the
    simplex, optionally within share ``bounds`` {child: (lo, hi)} and a complete or partial ``order``
    (heaviest first); other declared inputs (``extra_inputs``) vary as in uncertainty()."""
    from . import _as_framework

    model = _as_framework(framework)
    entry: dict = {"type": "weights", "node": node or model.nodes[0]["id"], "distribution": "simplex"}
    if bounds:
        entry["bounds"] = {k: [float(v[0]), float(v[1])] for k, v in bounds.items()}
    if order:
        entry["order"] = list(order)
    spec = {"inputs": [entry, *extra_inputs]}
    engine = uncertainty_engine(model, data, spec, reps=reps, seed=seed, threads=threads, pool=pool, **data_options)
    partial = engine.run_range(0, int(reps), _resolve_progress(progress, "smaa"))
    s = engine.smaa(partial)
    units = pd.Index(s["unit"], name="unit")
    acc = pd.DataFrame(s["acceptability"], index=units,
                       columns=pd.Index(range(1, s["acceptability"].shape[1] + 1), name="rank"))
    central = pd.DataFrame(s["central_weights"], index=units, columns=pd.Index(s["criteria"], name="criterion"))
    return SmaaResult(acc, central, pd.Series(s["confidence"], index=units, name="confidence"), s["node"])
