"""The Result of an evaluation, with pandas accessors."""

from __future__ import annotations

import io
import json
import os
from functools import cached_property
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core


def _grouping(name: Optional[str], available: Sequence[str]) -> str:
    if name is None:
        return available[0]
    return "" if name == "all" else name


class Result:
    """Every node's score and rank for every unit in every pooling, and the record.

    Tables are DataFrames with the unit id as the index (named ``id``) and node
    ids as columns (``names=True``: node display names, e.g. 经济发展). A
    ``grouping`` argument picks the pooling: a grouping column such as
    ``"level"``, ``"all"`` (or ``""``) for all units, or None for the first
    pooling evaluated. Scores are on the framework's scale (``mean`` or
    ``points``); ranks are NaN for units that are not ranked (excluded, or a
    missing score).
    """

    def __init__(self, raw: _core.Result, data: Optional[_core.Dataset] = None,
                 run: Optional[Dict[str, Any]] = None) -> None:
        # Nothing is converted here: evaluate() returns as soon as the engine does, and each
        # header, copy or record below is read from the compiled result when first asked for.
        self._raw = raw
        #: The Dataset evaluated (raw values for explain and report); None if not kept.
        self.data: Optional[_core.Dataset] = data
        self._run = run   # the evaluation's options and input files, for manifest() and tables()

    @cached_property
    def framework(self) -> _core.Framework:
        """A copy of the framework the result was computed with (made on first access)."""
        return self._raw.framework

    # Table headers, read from the compiled result without copying its framework.
    @cached_property
    def _node_ids(self) -> List[str]:
        return self._raw.node_ids

    @cached_property
    def _node_position(self) -> Dict[str, int]:
        return {node: i for i, node in enumerate(self._node_ids)}

    @cached_property
    def _indicator_ids(self) -> List[str]:
        return self._raw.indicator_ids

    @cached_property
    def _unit_id_array(self) -> np.ndarray:
        return np.array(self._raw.unit_ids, dtype=object)

    # --- identity -----------------------------------------------------------------------------
    @property
    def unit_ids(self) -> List[str]:
        """Unit ids, in the order of the input data."""
        return list(self._raw.unit_ids)

    @property
    def unit_names(self) -> pd.Series:
        """Unit display names, indexed by unit id."""
        return pd.Series(self._raw.unit_names, index=self._index(), name="name")

    @property
    def period(self) -> str:
        """The data period label."""
        return self._raw.period

    @property
    def excluded(self) -> Dict[str, str]:
        """Units scored but not ranked: id -> reason."""
        return dict(self._raw.excluded)

    @property
    def groupings(self) -> List[str]:
        """The poolings evaluated ("all" = all units in one pool)."""
        return [g or "all" for g in self._raw.groupings]

    @property
    def raw(self) -> _core.Result:
        """The compiled result: its pool(grouping) matrices are numpy views, no copies."""
        return self._raw

    def pool(self, grouping: Optional[str] = None) -> _core.Pool:
        """The compiled pool of one grouping (read-only numpy matrices)."""
        return self._raw.pool(_grouping(grouping, self._raw.groupings))

    def _index(self) -> pd.Index:
        return pd.Index(self._unit_id_array, name="id", copy=True)   # each table owns its index

    def _columns(self, ids: Sequence[str], names: bool, label: str) -> pd.Index:
        if names:
            by_id = dict(zip(self._node_ids, self._raw.node_names))
            return pd.Index([by_id[i] for i in ids], name=label)
        return pd.Index(list(ids), name=label)

    def _node_columns(self, level: Optional[int], nodes: Optional[Sequence[str]]) -> List[int]:
        if nodes is not None:
            position = self._node_position
            # framework.node() raises the SchemaError that names an unknown node.
            return [position[n] if n in position else position[self.framework.node(n)["id"]] for n in nodes]
        if level is None:
            return list(range(len(self._node_ids)))
        return [i for i, depth in enumerate(self._raw.node_depths) if depth == level]

    def _node_table(self, matrix: np.ndarray, level, nodes, names, kept: Sequence[int] = ()) -> pd.DataFrame:
        cols = self._node_columns(level, nodes)
        positions = cols
        if kept:   # a lean result: the matrix has a column per kept node only
            kept = list(kept)
            if nodes is None:
                cols = [c for c in cols if c in kept]
            missing = [self._node_ids[c] for c in cols if c not in kept]
            if missing:
                raise _core.Error(f"node(s) {', '.join(missing)} were not kept in this result (evaluated with "
                                  "keep='lean': the index and its categories only)")
            positions = [kept.index(c) for c in cols]
        return pd.DataFrame(np.array(matrix[:, positions]), index=self._index(),
                            columns=self._columns([self._node_ids[c] for c in cols], names, "node"))

    # --- tables -------------------------------------------------------------------------------
    def scores(self, grouping: Optional[str] = None, *, level: Optional[int] = None,
               nodes: Optional[Sequence[str]] = None, names: bool = False) -> pd.DataFrame:
        """Scores, one row per unit and one column per node.

        ``level`` keeps the nodes at one depth (0 = the index, 1 = categories,
        ...); ``nodes`` keeps the listed node ids, in that order.
        """
        pool = self.pool(grouping)
        return self._node_table(pool.scores, level, nodes, names, pool.nodes)

    def ranks(self, grouping: Optional[str] = None, *, level: Optional[int] = None,
              nodes: Optional[Sequence[str]] = None, names: bool = False) -> pd.DataFrame:
        """Ranks within each pool label (NaN = not ranked), like :meth:`scores`."""
        pool = self.pool(grouping)
        return self._node_table(self._raw.rank_matrix(pool.grouping), level, nodes, names, pool.nodes)

    def coverage(self, grouping: Optional[str] = None, *, level: Optional[int] = None,
                 nodes: Optional[Sequence[str]] = None, names: bool = False) -> pd.DataFrame:
        """Number of indicators each score rests on, like :meth:`scores`."""
        pool = self.pool(grouping)
        if pool.coverage.size == 0 and pool.scores.size > 0:
            raise _core.Error("coverage was not kept in this result (evaluated with keep='lean')")
        return self._node_table(pool.coverage, level, nodes, names, pool.nodes)

    def normalised(self, grouping: Optional[str] = None, *, names: bool = False) -> pd.DataFrame:
        """Normalised indicator values (higher is better), one column per indicator."""
        return pd.DataFrame(np.array(self.pool(grouping).normalised), index=self._index(),
                            columns=self._columns(self._indicator_ids, names, "indicator"))

    def labels(self, grouping: Optional[str] = None) -> pd.Series:
        """Each unit's pool label in a grouping ("all" for the all-units pool)."""
        return pd.Series(self.pool(grouping).labels, index=self._index(), name="pool")

    def table(self, grouping: Optional[str] = None, *, level: int = 1, names: bool = False) -> pd.DataFrame:
        """The ranking table: name, pool label, rank and score of the index, and
        the scores of the nodes at ``level`` — sorted by pool label, then rank."""
        root = self._node_ids[0]
        out = pd.DataFrame({"name": self.unit_names, "pool": self.labels(grouping),
                            "rank": self.ranks(grouping, nodes=[root]).iloc[:, 0],
                            "score": self.scores(grouping, nodes=[root]).iloc[:, 0]})
        out = pd.concat([out, self.scores(grouping, level=level, names=names)], axis=1)
        return out.sort_values(["pool", "rank"], kind="stable", na_position="last")

    def contributions(self, unit: str, grouping: Optional[str] = None, *, names: bool = False) -> pd.Series:
        """Each indicator's contribution to one unit's index score: its absolute
        weight (share of the index) times its normalised value.

        The contributions add up to the index score when every aggregation is
        arithmetic, no value is missing and nothing is rescaled (on the points
        scale, multiply by total_points / 100). Missing values give NaN.
        """
        weights = pd.Series(self.framework.absolute_weights(), index=self._node_ids)[self._indicator_ids]
        row = self.normalised(grouping).loc[unit]
        values = weights.to_numpy() * row.to_numpy()
        return pd.Series(values, index=self._columns(self._indicator_ids, names, "indicator"), name=unit)

    def normalisation(self, grouping: Optional[str] = None) -> pd.DataFrame:
        """The constants each indicator was normalised with in each pool label."""
        return pd.DataFrame(self.pool(grouping).normalisation)

    @property
    def notes(self) -> pd.DataFrame:
        """The evaluation record: level, step, pool, node, unit, message."""
        return pd.DataFrame(self._raw.notes, columns=["level", "step", "pool", "node", "unit", "message"])

    @property
    def warnings(self) -> pd.DataFrame:
        """The warning notes of the record."""
        return pd.DataFrame(self._raw.warnings, columns=["level", "step", "pool", "node", "unit", "message"])

    # --- weights, rules, preparation ---------------------------------------------------------
    def weight_records(self, grouping: Optional[str] = None) -> List[dict]:
        """The weights each aggregate node gave its children in each pool label,
        as dicts with the diagnostics of the method (``ahp``: lambda_max, ci,
        cr; ``entropy``; ``critic``; ``variation``; ``pca``; ``parts`` of a
        combination)."""
        return list(self.pool(grouping).weights)

    def weights(self, grouping: Optional[str] = None) -> pd.DataFrame:
        """The weights actually used: one row per node, pool label and child
        (columns node, pool_label, child, weight, method, rows_used,
        rows_incomplete, note); the weights of a node's children sum to 1."""
        rows = []
        for rec in self.pool(grouping).weights:
            for child, weight in zip(rec["children"], rec["weights"]):
                rows.append({"node": rec["node"], "pool_label": rec["pool_label"], "child": child,
                             "weight": float(weight), "method": rec["method"], "rows_used": rec["rows_used"],
                             "rows_incomplete": rec["rows_incomplete"], "note": rec["note"]})
        return pd.DataFrame(rows, columns=["node", "pool_label", "child", "weight", "method", "rows_used",
                                           "rows_incomplete", "note"])

    @property
    def rules(self) -> pd.DataFrame:
        """What the zone rules did to each unit (index: unit id): weight_set
        used, vetoed, veto (reasons joined by "; "), bonus (>= 0), deduction
        (<= 0), adjustment (their sum) and adjustments (the item lines as a
        list of dicts item, events, points)."""
        rows = self._raw.rules
        out = pd.DataFrame({
            "weight_set": [r["weight_set"] for r in rows],
            "vetoed": [bool(r["veto"]) for r in rows],
            "veto": ["; ".join(r["veto"]) for r in rows],
            "bonus": [r["bonus"] for r in rows],
            "deduction": [r["deduction"] for r in rows],
            "adjustment": [r["bonus"] + r["deduction"] for r in rows],
            "adjustments": [r["adjustments"] for r in rows],
        }, index=pd.Index([r["unit"] for r in rows], name="id"))
        return out

    @property
    def adjustment_lines(self) -> pd.DataFrame:
        """Every bonus/deduction item applied: unit, item, events, points (after the item's cap)."""
        rows = [{"unit": r["unit"], **line} for r in self._raw.rules for line in r["adjustments"]]
        return pd.DataFrame(rows, columns=["unit", "item", "events", "points"])

    @property
    def preparation(self) -> dict:
        """The preparation record as plain objects: derived, derive_warnings,
        min_coverage, screened_out and, per pooling, the imputed-cell mask,
        imputations, unfilled cells and treatment records (docs/preparation.md)."""
        return self._raw.preparation

    def _pool_preparation(self, grouping: Optional[str]) -> dict:
        wanted = self.pool(grouping).grouping
        for p in self._raw.preparation["pools"]:
            if p["grouping"] == wanted:
                return p
        raise KeyError(f"no preparation record for grouping '{wanted or 'all'}'")

    def imputed(self, grouping: Optional[str] = None, *, names: bool = False) -> pd.DataFrame:
        """True where imputation filled a cell: one row per unit, one column per indicator."""
        mask = np.asarray(self._pool_preparation(grouping)["imputed"], dtype=bool)
        return pd.DataFrame(mask, index=self._index(), columns=self._columns(self._indicator_ids, names, "indicator"))

    def imputations(self, grouping: Optional[str] = None) -> pd.DataFrame:
        """Every filled cell: unit, indicator, pool, value, basis."""
        return pd.DataFrame(self._pool_preparation(grouping)["imputations"],
                            columns=["unit", "indicator", "pool", "value", "basis"])

    def treatments(self, grouping: Optional[str] = None) -> pd.DataFrame:
        """One row per treated indicator and pool label: method, applied,
        skewness and kurtosis before/after, whether the JRC rule failed before
        and passes after, points winsorised, the fitted constants and the
        changed points (a list of dicts unit, before, after)."""
        rows = self._pool_preparation(grouping)["treatments"]
        columns = ["indicator", "pool", "method", "applied", "count", "skew_before", "kurtosis_before",
                   "skew_after", "kurtosis_after", "failed_before", "passes_after", "winsorised", "lower_cap",
                   "upper_cap", "min", "max", "reflected", "lambda", "points"]
        return pd.DataFrame(rows, columns=columns)

    @property
    def screened_out(self) -> pd.DataFrame:
        """Units dropped for low data coverage (index: unit id): present, total, coverage."""
        rows = self._raw.preparation["screened_out"]
        return pd.DataFrame(rows, columns=["unit", "present", "total", "coverage"]).set_index("unit")

    # --- single values ------------------------------------------------------------------------
    def score(self, unit: str, node: Optional[str] = None, grouping: Optional[str] = None) -> float:
        """One unit's score of one node (default: the index)."""
        return self._raw.score(unit, node or self._node_ids[0], _grouping(grouping, self._raw.groupings))

    def rank(self, unit: str, node: Optional[str] = None, grouping: Optional[str] = None) -> float:
        """One unit's rank of one node (default: the index); NaN if not ranked."""
        return self._raw.rank(unit, node or self._node_ids[0], _grouping(grouping, self._raw.groupings))

    # --- audit: the run manifest and the table of every step (docs/manifest.md) ----------------
    def manifest(self, path: Union[None, str, "os.PathLike[str]"] = None) -> str:
        """The run manifest as JSON text, also written to ``path`` if given: the framework as
        evaluated, each input file with its SHA-256 (data built in memory: a checksum of ids and
        values), every evaluation option, the constants fitted per pool, the library version
        and the convention set. ``parkscore.rerun(path)`` reproduces this result bit for bit."""
        if self._run is None or self.data is None:
            raise _core.Error("the manifest needs the evaluation's inputs: use a Result made by parkscore.evaluate, "
                              "Plan.evaluate or parkscore.rerun")
        r = self._run
        text = _core.run_manifest(self._raw, self.data, r["previous"], r["pools"], r["excluded"],
                                  r["allow_extra_columns"], r["weight_set"], r["weights_by_group"], r["keep"],
                                  r["threads"], r["data_file"], r["previous_file"])
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        return text

    def tables(self) -> Dict[str, pd.DataFrame]:
        """The table of every step, by name in pipeline order (docs/manifest.md): raw, derived,
        imputed, imputed_flags (booleans), treatment, treated, treated_points, normalisation,
        normalised, weights, contributions, scores, ranks. The index is the table's key columns
        (unit; or grouping, label, unit for the tables of each pooling)."""
        previous = None if self._run is None else self._run["previous"]
        out: Dict[str, pd.DataFrame] = {}
        for t in _core.tables(self._raw, self._need_data("tables"), previous):
            values = np.array(t["values"])
            frame = pd.DataFrame(values.astype(bool) if t["name"] == "imputed_flags" else values,
                                 columns=list(t["columns"]))
            index = pd.MultiIndex.from_arrays(t["keys"], names=t["key_columns"]) if len(t["key_columns"]) > 1 \
                else pd.Index(t["keys"][0], name=t["key_columns"][0])
            frame.index = index
            out[t["name"]] = frame
        return out

    # --- explain and report (docs/explain.md, docs/reports.md) ---------------------------------
    def _need_data(self, what: str) -> _core.Dataset:
        if self.data is None:
            raise _core.DataError(f"{what} needs the evaluated data: use a Result made by parkscore.evaluate")
        return self.data

    def explain(self, unit: str, grouping: Optional[str] = None, *, lang: str = "en",
                previous: Optional["Result"] = None) -> Dict[str, Any]:
        """Where one unit's points come from (unit id or name): a dict with ``summary``
        (the office's sentence), ``indicators`` and ``categories`` (DataFrames: raw and
        normalised values, points earned, maximum, points lost to the pool best, pool
        median, the unit ranked just above) and the unit's totals. The ``points``
        add up to the index score (docs/explain.md).

        ``previous`` (last year's Result, made by parkscore.evaluate) adds the rank
        change to the summary ("排名第2位，较上年上升1位") and ``change``: a dict with
        the scores and ranks of both years and ``lines``, a DataFrame by node of each
        contribution before and after, its change and the raw values; the indicator
        changes plus ``rescaling_change`` and ``adjustment_change`` add up to the
        change of the score."""
        g = _grouping(grouping, self._raw.groupings)
        before = None if previous is None else previous._need_data("explain (previous year)")
        text, summary, change = _core.explain(self._raw, self._need_data("explain"), unit, g, lang,
                                              None if previous is None else previous.raw, before)
        doc = json.loads(text)
        doc["summary"] = summary
        doc["indicators"] = pd.DataFrame(doc["indicators"]).set_index("id")
        doc["categories"] = pd.DataFrame(doc["categories"]).set_index("id")
        if change:
            moved = json.loads(change)
            moved["lines"] = pd.DataFrame(moved["lines"]).set_index("id")
            doc["change"] = moved
        return doc

    def gap(self, unit: str, target: str = "next", grouping: Optional[str] = None) -> Dict[str, Any]:
        """The smallest raw change per indicator that reaches ``target`` (``next``,
        ``top10``, ``rank:N``, ``bottom:N``) by re-evaluating, and a greedy
        combination (docs/explain.md). ``single`` is a DataFrame by indicator."""
        g = _grouping(grouping, self._raw.groupings)
        doc = json.loads(_core.gap(self.framework, self._need_data("gap"), unit, g, target))
        doc["single"] = pd.DataFrame(doc["single"]).set_index("indicator")
        return doc

    def what_if(self, changes: Iterable[Tuple[str, str, float]], grouping: Optional[str] = None) -> pd.DataFrame:
        """Re-ranks with changed raw values ``(unit, column, value)``; the units that moved."""
        g = _grouping(grouping, self._raw.groupings)
        doc = json.loads(_core.what_if(self.framework, self._need_data("what_if"),
                                       [(str(u), str(c), float(v)) for u, c, v in changes], g))
        return pd.DataFrame(doc["moved"], columns=["id", "name", "pool", "rank_before", "rank_after",
                                                   "score_before", "score_after"]).set_index("id")

    def report(self, path: Union[None, str, "os.PathLike[str]"] = None, *, grouping: Optional[str] = None,
               lang: str = "zh", zones: Sequence[str] = (), audit: bool = False,
               intervals: Optional[pd.DataFrame] = None, figures: Union[str, Sequence[Any]] = "default",
               format: Optional[str] = None, previous: Optional["Result"] = None,
               watch: Optional[pd.DataFrame] = None, interval_label: str = "") -> str:
        """The report document (docs/reports.md): HTML (self-contained, A4 print
        layout, inline SVG charts) or Markdown. ``path`` ending in .md (or
        ``format="markdown"``) gives Markdown; the text is returned and written
        to ``path`` if given. ``intervals``: a DataFrame indexed by unit with
        columns nominal, median, lo, hi. ``figures``: ``"default"`` (the
        standard charts of parkscore.plot), or a list of Figures or
        ``(title, Figure)`` pairs, inlined as SVG. ``previous``: last year's
        Result, for the rank changes (ranking table, zone pages' wording, slope chart).
        ``intervals`` may also be the DataFrame of parkscore.uncertainty() (its
        ``nominal_rank`` column is the nominal rank); ``interval_label`` says how they were
        made. ``watch``: the DataFrame of parkscore.delisting_watch() (the watch list)."""
        g = _grouping(grouping, self._raw.groupings)
        fmt = format or ("markdown" if path is not None and os.fspath(path).endswith(".md") else "html")
        rows: List[Tuple[str, float, float, float, float]] = []
        if intervals is not None:
            nominal = "nominal" if "nominal" in intervals.columns else "nominal_rank"
            for unit, r in intervals.iterrows():
                rows.append((str(unit), float(r[nominal]), float(r["median"]), float(r["lo"]), float(r["hi"])))
        watched: List[Tuple[str, str, str, List[int], str]] = []
        if watch is not None:
            for unit, w in (watch.set_index("unit") if "unit" in watch.columns else watch).iterrows():
                watched.append((str(unit), str(w.get("name", "")), str(w.get("pool", "")),
                                [int(y) for y in w["hit_years"]], str(w.get("rule", ""))))
        if isinstance(figures, str):
            if figures != "default":
                raise _core.DataError(f"figures must be 'default' or a list, got '{figures}'")
            from . import plot
            figures = plot.default_figures(self, grouping=grouping, zones=zones, previous=previous)
        svgs = []
        for item in figures:
            title, fig = item if isinstance(item, tuple) else (fig_title(item), item)
            buf = io.StringIO()
            fig.savefig(buf, format="svg", bbox_inches="tight")
            svgs.append((str(title), buf.getvalue()))
        text = _core.report_document(self._raw, self._need_data("report"), g, lang, [str(z) for z in zones], audit,
                                     rows, svgs, fmt, None if previous is None else previous.raw, watched,
                                     interval_label)
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        return text

    def to_excel(self, path: Union[str, "os.PathLike[str]"], *, grouping: Optional[str] = None,
                 previous: Optional["Result"] = None, audit: bool = False) -> None:
        """Writes the .xlsx workbook (docs/reports.md) with the C++ writer the CLI uses:
        one sheet per step — 原始数据 (raw), 处理后数据 (prepared; imputed and treated
        cells marked), 标准化 (normalised), 贡献分解 (contributions), 得分与排名
        (scores and ranks of every node and pooling), 排名变化 (rank changes against
        ``previous``, a Result of the year before, as signed numbers) and, with
        ``audit``, 统计检验. Chinese headers, numeric cells shown with two decimals,
        frozen header rows. Error if parkscore was built without libxlsxwriter."""
        g = _grouping(grouping, self._raw.groupings)
        _core.write_workbook(self._raw, self._need_data("to_excel"), os.fspath(path), g,
                             None if previous is None else previous.raw, audit)

    def __repr__(self) -> str:
        return (f"<parkscore.Result '{self.framework.id}': {len(self._raw.unit_ids)} units, "
                f"poolings {', '.join(self.groupings)}>")


def fig_title(fig: Any) -> str:
    """The figure's suptitle, else its first axes' title."""
    if getattr(fig, "_suptitle", None) is not None:
        return fig._suptitle.get_text()
    for ax in fig.axes:
        if ax.get_title():
            return ax.get_title()
    return ""
