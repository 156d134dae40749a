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

import os
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence, Union

import pandas as pd

from . import _core
from ._core import DataError, Dataset, Error, Framework, MethodError, SchemaError
from ._data import long_to_wide, read_csv, to_dataset, to_frame
from ._progress import Progress
from ._progress import resolve as _resolve_progress
from ._result import Result

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
    table = pd.DataFrame(framework.nodes()).set_index("id")
    table.insert(table.columns.get_loc("weight") + 1, "absolute_weight", framework.absolute_weights())
    return table


def _as_framework(framework: FrameworkLike) -> Framework:
    if isinstance(framework, Framework):
        return framework
    return _core.load_framework_or_preset(os.fspath(framework))


def _pool_names(pools: Iterable[str]) -> list:
    return ["" if p in ("", "all") else p for p in pools]


def _excluded(excluded) -> dict:
    if excluded is None:
        return {}
    if isinstance(excluded, Mapping):
        return {str(k): str(v) for k, v in excluded.items()}
    return {str(unit): "excluded" for unit in excluded}


def _indicator_columns(model: Framework, frame: pd.DataFrame, id_column: str, name_column: str,
                       groups: Sequence[str]) -> list:
    # Text columns the framework does not name are labels (region, address...), not indicators.
    named = set(model.indicator_ids())
    taken = {id_column, name_column, *groups}
    return [c for c in frame.columns
            if c not in taken and (c in named or pd.api.types.is_numeric_dtype(frame[c]))]


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
    progress
        None, True (tqdm bar if installed) or a callable(done, total); see
        parkscore._progress. Evaluation is one step today.

    Returns
    -------
    Result
        Scores, ranks, normalised values and coverage per pooling as
        DataFrames (unit id as the index), and the evaluation record.

    Raises
    ------
    SchemaError, DataError, MethodError
        With the engine's message naming the node, unit, column or file.
    """
    model = _as_framework(framework)
    pool_list = None if pools is None else _pool_names(pools)
    if isinstance(data, Dataset):
        dataset = data
    else:
        if groups is None:
            wanted = pool_list if pool_list is not None else list(model.pools)
            groups = [g for g in wanted if g]
            if isinstance(data, pd.DataFrame):
                groups = [g for g in groups if g in data.columns]
        if isinstance(data, pd.DataFrame):
            dataset = to_dataset(data, id_column=id_column, name_column=name_column, groups=groups,
                                 indicators=_indicator_columns(model, data, id_column, name_column, groups))
        else:
            dataset = _core.read_wide(os.fspath(data), id_column, name_column, list(groups))
    raw = _core.evaluate(model, dataset, pool_list or [], _excluded(excluded), allow_extra_columns,
                         _resolve_progress(progress, "evaluate"))
    return Result(raw)
