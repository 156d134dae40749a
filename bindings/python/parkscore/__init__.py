"""parkscore: score and rank economic development zones with composite indicators.

A thin Python layer over the compiled C++ engine (parkscore._core): frameworks
(indicator trees with their method) are loaded from presets or JSON files or
built in code; data come in as pandas DataFrames or CSV files; results come out
as DataFrames with the unit id as the index.

    import parkscore
    fw = parkscore.load_framework("docs/examples/demo-framework.json")
    result = parkscore.evaluate(fw, "examples/data/demo.csv")
    result.table("level")

Errors are parkscore.Error; those caused by the input (SchemaError, DataError,
MethodError) are also ValueError. Their messages are the engine's, naming the
file, JSON path, line, column, unit or indicator at fault.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import pandas as pd

from . import _core
from ._audit import Audit, audit
from ._core import DataError, Dataset, Error, Framework, MethodError, SchemaError
from ._data import long_to_wide, read_csv, to_dataset, to_frame
from ._history import delisting_rule, delisting_rule_names, delisting_watch, rank_changes, rank_table
from ._mcda import analyse, benefit_of_the_doubt, kemeny_ranking, outranking_matrix
from ._methods import (ahp_weights, combine_weights, critic_weights, entropy_weights, fails_outlier_rule, kurtosis,
                       pca_weights, skewness, treat, variation_weights)
from ._progress import Progress
from ._progress import resolve as _resolve_progress
from ._result import Result
from ._uncertainty import SmaaResult, smaa, sobol, uncertainty

__version__: str = _core.__version__

__all__ = [
    "__version__",
    "Error",
    "SchemaError",
    "DataError",
    "MethodError",
    "Framework",
    "Dataset",
    "Result",
    "load_framework",
    "parse_framework",
    "save_framework",
    "to_json",
    "load_preset",
    "preset_names",
    "node_table",
    "read_csv",
    "long_to_wide",
    "to_dataset",
    "to_frame",
    "evaluate",
    "compile",
    "Plan",
    "rerun",
    "ahp_weights",
    "entropy_weights",
    "critic_weights",
    "variation_weights",
    "pca_weights",
    "combine_weights",
    "skewness",
    "kurtosis",
    "fails_outlier_rule",
    "treat",
    "rank_table",
    "rank_changes",
    "delisting_watch",
    "delisting_rule",
    "delisting_rule_names",
    "benefit_of_the_doubt",
    "outranking_matrix",
    "kemeny_ranking",
    "analyse",
    "uncertainty",
    "sobol",
    "smaa",
    "SmaaResult",
    "audit",
    "Audit",
    "write_workbook",
    "workbook_available",
]

# A pip install ships the presets inside the package; the compiled core finds
# them through $PARKSCORE_PRESET_DIR (a value set by the user wins).
_bundled_presets = Path(__file__).with_name("presets")
if _bundled_presets.is_dir():
    os.environ.setdefault("PARKSCORE_PRESET_DIR", str(_bundled_presets))

FrameworkLike = Union[Framework, str, "os.PathLike[str]"]
DataLike = Union[pd.DataFrame, Dataset, str, "os.PathLike[str]"]


def load_framework(path: Union[str, "os.PathLike[str]"]) -> Framework:
    """Reads a framework JSON file (format: docs/schema.md).

    Reading is strict: an unknown key, a wrong type or a bad value is a
    SchemaError whose message names the file and the JSON path.
    """
    return _core.load_framework(os.fspath(path))


def parse_framework(json_text: str, source: str = "<string>") -> Framework:
    """Parses framework JSON text; ``source`` names it in error messages."""
    return _core.parse_framework(json_text, source)


def save_framework(framework: Framework, path: Union[str, "os.PathLike[str]"]) -> None:
    """Writes the framework as a JSON file that load_framework reads back equal."""
    _core.save_framework(framework, os.fspath(path))


def to_json(framework: Framework) -> str:
    """The framework as JSON text (pretty-printed, stable key order)."""
    return _core.to_json(framework)


def load_preset(name: str) -> Framework:
    """A bundled framework by name (see preset_names()); SchemaError lists the known names."""
    return _core.load_preset(name)


def preset_names() -> list:
    """Names of the bundled presets."""
    return list(_core.preset_names())


def node_table(framework: Framework) -> pd.DataFrame:
    """The framework's nodes as a DataFrame indexed by node id, parents first:
    kind, parent, depth, weight, absolute weight (share of the index) and the
    method settings (indicator fields are NaN/None on categories and vice versa)."""
    table = pd.DataFrame(framework.nodes).set_index("id")
    table.insert(table.columns.get_loc("weight") + 1, "absolute_weight", framework.absolute_weights())
    return table


def workbook_available() -> bool:
    """True if parkscore was built with libxlsxwriter, so Result.to_excel can write .xlsx files."""
    return bool(_core.workbook_available())


def write_workbook(result: Result, path: Union[str, "os.PathLike[str]"], *, grouping: Optional[str] = None,
                   previous: Optional[Result] = None, audit: bool = False) -> None:
    """The .xlsx workbook of ``result`` (the same as ``result.to_excel(path, ...)``)."""
    result.to_excel(path, grouping=grouping, previous=previous, audit=audit)


def _as_framework(framework: FrameworkLike) -> Framework:
    if isinstance(framework, Framework):
        return framework
    return _core.load_framework_or_preset(os.fspath(framework))


def _pool_names(pools: Iterable[str]) -> list:
    if isinstance(pools, str):
        raise TypeError(f"pools must be a list of grouping column names, e.g. ['{pools}'], not a string")
    names = list(pools)
    for i, p in enumerate(names):
        if not isinstance(p, str):
            raise TypeError(f"pools[{i}] must be a grouping column name or 'all' (a str), got {p!r} "
                            f"({type(p).__name__})")
    return ["" if p in ("", "all") else p for p in names]


def _excluded(excluded) -> dict:
    if excluded is None:
        return {}
    if isinstance(excluded, Mapping):
        return {str(k): str(v) for k, v in excluded.items()}
    return {str(unit): "excluded" for unit in excluded}


def _indicator_columns(model: Framework, frame: pd.DataFrame, id_column: str, name_column: str,
                       groups: Sequence[str]) -> list:
    # Text columns the framework does not name are labels (region, address...), not indicators.
    named = set(model.indicator_ids)
    taken = {id_column, name_column, *groups}
    return [c for c in frame.columns.tolist()
            if c not in taken and (c in named or pd.api.types.is_numeric_dtype(frame[c]))]


def _dataset_for(model: Framework, data: DataLike, wanted: Sequence[str], *, id_column: str = "id",
                 name_column: str = "name", groups: Optional[Sequence[str]] = None) -> Dataset:
    """A Dataset for ``model`` from a DataFrame, Dataset or CSV path (as evaluate() reads it)."""
    if isinstance(data, Dataset):
        return data
    columns = [g for g in wanted if g] if groups is None else list(groups)
    if isinstance(data, pd.DataFrame):
        if groups is None:
            columns = [g for g in dict.fromkeys(columns) if g in data.columns]
        return to_dataset(data, id_column=id_column, name_column=name_column, groups=columns,
                          indicators=_indicator_columns(model, data, id_column, name_column, columns))
    return _core.read_wide(os.fspath(data), id_column, name_column, list(dict.fromkeys(columns)))


def evaluate(
    framework: FrameworkLike,
    data: DataLike,
    *,
    id_column: str = "id",
    name_column: str = "name",
    groups: Optional[Sequence[str]] = None,
    pools: Optional[Sequence[str]] = None,
    excluded: Union[None, Mapping[str, str], Iterable[str]] = None,
    allow_extra_columns: bool = False,
    previous: Optional[DataLike] = None,
    weight_set: str = "",
    weights_by_group: Optional[Tuple[str, Mapping[str, str]]] = None,
    progress: Progress = None,
) -> Result:
    """Scores and ranks every unit: normalise (per pool) -> aggregate -> rescale -> rank.

    Parameters
    ----------
    framework
        A Framework, a preset name or a path to a framework JSON file.
    data
        A wide DataFrame (one row per unit; see to_dataset — use long_to_wide
        for a long table), a Dataset, or the path of a wide CSV file. Text
        columns of a DataFrame that the framework does not name (region,
        address...) are ignored; every other column must be an indicator
        unless ``allow_extra_columns``.
    id_column, name_column
        Columns with the unit ids (default: the index if there is no such
        column) and display names (optional).
    groups
        Grouping columns to carry into the evaluation. Default: those of the
        framework's pools (or of ``pools``) that the data have.
    pools
        Groupings to evaluate: column names, ``"all"`` for all units in one
        pool. Default: the framework's pools (all units if it names none).
    excluded
        Units scored with the others' statistics but not ranked and left out
        of every pool statistic (e.g. a veto): a dict id -> reason, or ids.
    allow_extra_columns
        Ignore data columns the framework does not name (default: DataError).
    previous
        The previous year's data, in the same forms as ``data`` (units matched
        by id): for lag() in derived indicators, carry_forward and growth
        imputation, and benchmarks relative to last year (docs/preparation.md).
    weight_set
        The named weight set every unit is scored with (docs/rules.md);
        default: the framework's choice (by group, else its default).
    weights_by_group
        ``(column, {label: set name})``: the weight set per unit by a grouping
        column (labels not listed use the default); overrides the framework's.
    progress
        None, True (tqdm bar if installed) or a callable(done, total); see
        parkscore._progress. Evaluation is one step today.

    Returns
    -------
    Result
        Scores, ranks, normalised values and coverage per pooling as
        DataFrames (unit id as the index), the weights used, the zone-rule and
        preparation records, and the evaluation record.

    Raises
    ------
    SchemaError, DataError, MethodError
        With the engine's message naming the node, unit, column or file.
    """
    model = _as_framework(framework)
    inputs = _EvaluationInputs(model, data, id_column=id_column, name_column=name_column, groups=groups,
                               pools=pools, previous=previous, weights_by_group=weights_by_group)
    excluded_units = _excluded(excluded)
    raw = _core.evaluate(model, inputs.data, inputs.pools, excluded_units, allow_extra_columns,
                         _resolve_progress(progress, "evaluate"), inputs.previous, weight_set, inputs.by_group)
    return Result(raw, data=inputs.data, run=inputs.run(excluded_units, allow_extra_columns, weight_set, "full", 0))


class _EvaluationInputs:
    """The data (and previous year) as Datasets, the pools and the group weights, as
    evaluate() and Plan.evaluate() read them."""

    def __init__(self, model: Framework, data: DataLike, *, id_column: str, name_column: str,
                 groups: Optional[Sequence[str]], pools: Optional[Sequence[str]], previous: Optional[DataLike],
                 weights_by_group: Optional[Tuple[str, Mapping[str, str]]]) -> None:
        pool_list = None if pools is None else _pool_names(pools)
        wanted = pool_list if pool_list is not None else list(model.pools)
        for by_group in (weights_by_group, model.weights_by_group):
            if by_group is not None:
                wanted = wanted + [by_group[0]]

        # The file a Dataset was read from and how, for the run manifest (None: built in memory).
        files: List[Optional[Tuple[str, str, str, List[str]]]] = []

        def as_dataset(source: DataLike) -> Dataset:
            if isinstance(source, (Dataset, pd.DataFrame)):
                files.append(None)
            else:   # a path: read as _dataset_for reads it, and recorded with the same arguments
                columns = [g for g in wanted if g] if groups is None else list(groups)
                files.append((os.fspath(source), id_column, name_column, list(dict.fromkeys(columns))))
            return _dataset_for(model, source, wanted, id_column=id_column, name_column=name_column, groups=groups)

        self.by_group = None
        if weights_by_group is not None:
            self.by_group = (str(weights_by_group[0]), {str(k): str(v) for k, v in weights_by_group[1].items()})
        self.pools = pool_list or []
        self.data = as_dataset(data)
        self.previous = None if previous is None else as_dataset(previous)
        self.data_file = files[0]
        self.previous_file = files[1] if len(files) > 1 else None

    def run(self, excluded: Dict[str, str], allow_extra_columns: bool, weight_set: str, keep: str,
            threads: int) -> Dict[str, Any]:
        """What Result.manifest records besides the data: every evaluation option."""
        return {"previous": self.previous, "pools": self.pools, "excluded": excluded,
                "allow_extra_columns": allow_extra_columns, "weight_set": weight_set,
                "weights_by_group": self.by_group, "keep": keep, "threads": threads,
                "data_file": self.data_file, "previous_file": self.previous_file}


class Plan:
    """A framework compiled once, for many evaluations (docs/performance.md): validation,
    indicator order and weights are resolved here, so evaluate() only prepares, fits,
    applies and ranks. Immutable; evaluations run without the GIL and may run from several
    threads at once (do not modify a Dataset while it is being evaluated).

    >>> plan = parkscore.compile("jiangsu-2021")
    >>> result = plan.evaluate(frame, keep="lean")   # the index and its categories only
    """

    def __init__(self, framework: FrameworkLike) -> None:
        self._plan = _core.Plan(_as_framework(framework))
        self.framework: Framework = self._plan.framework

    def evaluate(self, data: DataLike, *, id_column: str = "id", name_column: str = "name",
                 groups: Optional[Sequence[str]] = None, pools: Optional[Sequence[str]] = None,
                 excluded: Union[None, Mapping[str, str], Iterable[str]] = None, allow_extra_columns: bool = False,
                 previous: Optional[DataLike] = None, weight_set: str = "",
                 weights_by_group: Optional[Tuple[str, Mapping[str, str]]] = None, keep: str = "full",
                 threads: int = 0) -> Result:
        """Like parkscore.evaluate with this plan's framework. ``keep``: "full" (every node's
        score, the index and categories ranked, other nodes ranked when asked), "lean" (the
        index and its categories only: for large data and repeated runs), "index" (lean, and
        only the index ranked now: the categories' ranks on request) or "everything" (every
        node ranked now). ``threads``: 0 = the hardware's; the numbers do not depend on it."""
        inputs = _EvaluationInputs(self.framework, data, id_column=id_column, name_column=name_column,
                                   groups=groups, pools=pools, previous=previous, weights_by_group=weights_by_group)
        excluded_units = _excluded(excluded)
        raw = self._plan.evaluate(inputs.data, inputs.pools, excluded_units, allow_extra_columns,
                                  inputs.previous, weight_set, inputs.by_group, keep, threads)
        return Result(raw, data=inputs.data,
                      run=inputs.run(excluded_units, allow_extra_columns, weight_set, keep, threads))


def _keep_name(keep: Mapping[str, bool]) -> str:
    flags = dict(keep)
    categories = flags.pop("category_ranks", True)   # absent in manifests before 2026-12-03
    flags.pop("records", None)   # likewise; "index" implies none, and the results' hash does not cover them
    if all(flags.values()):
        return "everything"
    if not any(flags.values()):
        return "lean" if categories else "index"
    return "full"


def rerun(manifest: Union[str, "os.PathLike[str]"], *, data: Optional[Union[pd.DataFrame, Dataset]] = None,
          previous: Optional[Union[pd.DataFrame, Dataset]] = None) -> Result:
    """Evaluates again from a run manifest (Result.manifest, ``parkscore score --manifest``;
    docs/manifest.md): the framework it holds, the files it names — each file's SHA-256
    checked first, DataError naming the file if it changed — and every option it records.
    The result is checked to equal the recorded one bit for bit (Error if not).

    ``data``/``previous``: for a manifest of data built in memory, the same data (a
    DataFrame or Dataset; checked by content)."""
    with open(manifest, encoding="utf-8") as f:
        record = json.load(f)

    def as_dataset(source, entry) -> Optional[Dataset]:
        if source is None or isinstance(source, Dataset):
            return source
        return to_dataset(source, groups=entry["groups"], indicators=entry["indicators"])

    raw, ds, before = _core.rerun(os.fspath(manifest), as_dataset(data, record["data"]),
                                  as_dataset(previous, record.get("previous") or {}))
    o = record["options"]
    by_group = None if o["weights_by_group"] is None else (o["weights_by_group"]["column"],
                                                            o["weights_by_group"]["sets"])

    def file_of(entry) -> Optional[Tuple[str, str, str, List[str]]]:
        if not entry or entry.get("reader") != "wide":
            return None
        layout = entry["layout"]
        return (entry["file"], layout["id_column"], layout["name_column"], layout["group_columns"])

    run = {"previous": before, "pools": o["pools"], "excluded": o["excluded"],
           "allow_extra_columns": o["allow_extra_columns"], "weight_set": o["weight_set"], "weights_by_group": by_group,
           "keep": _keep_name(o["keep"]), "threads": o["threads"], "data_file": file_of(record["data"]),
           "previous_file": file_of(record.get("previous"))}
    return Result(raw, data=ds, run=run)


def compile(framework: FrameworkLike) -> Plan:  # noqa: A001 - the C++ name, parkscore::compile
    """Compiles a framework (a Framework, preset name or JSON path) into a reusable Plan."""
    return Plan(framework)
