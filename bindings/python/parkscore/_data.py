"""pandas <-> Dataset conversions (wide and long layouts)."""

from __future__ import annotations

import os
import warnings
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from . import _core
from ._core import DataError, Dataset, Framework

PathLike = Union[str, "os.PathLike[str]"]


def long_to_wide(
    frame: pd.DataFrame,
    *,
    id_column: str = "id",
    indicator_column: str = "indicator",
    value_column: str = "value",
) -> pd.DataFrame:
    """Turns a long table (one row per unit and indicator) into the wide layout.

    Returns a DataFrame with the unit id as the index and one column per
    indicator, in order of first appearance. A unit-indicator pair given twice
    is a DataError naming both; absent pairs are missing values (NaN). Other
    columns of ``frame`` (names, grouping columns) are kept if they take one
    value per unit.
    """
    for column in (id_column, indicator_column, value_column):
        if column not in frame.columns:
            raise DataError(f"long table: no column '{column}' (columns: {', '.join(map(str, frame.columns))})")
    duplicated = frame.duplicated([id_column, indicator_column], keep=False)
    if duplicated.any():
        row = frame[duplicated].iloc[0]
        raise DataError(f"long table: unit '{row[id_column]}' has indicator '{row[indicator_column]}' more than once")
    wide = frame.pivot(index=id_column, columns=indicator_column, values=value_column)
    units = pd.unique(frame[id_column])
    wide = wide.reindex(index=units, columns=pd.unique(frame[indicator_column]))
    wide.columns.name = None
    extra = [c for c in frame.columns if c not in (id_column, indicator_column, value_column)]
    if extra:
        per_unit = frame.groupby(id_column, sort=False)[extra].nunique(dropna=False)
        for column in extra:
            if (per_unit[column] > 1).any():
                raise DataError(f"long table: column '{column}' takes several values for one unit")
        firsts = frame.groupby(id_column, sort=False)[extra].first().reindex(units)
        wide = pd.concat([firsts, wide], axis=1)
    wide.index.name = id_column
    return wide


def _texts(values: Union[pd.Series, pd.Index]) -> Tuple[List[str], Optional[np.ndarray]]:
    """``values`` as str, and a mask of the missing ones (None: none is missing).

    A column of str (the usual ids, names and labels) passes one C-level check
    and is taken as it is; anything else is converted value by value."""
    array = values.to_numpy()
    if array.dtype == object and infer_dtype(array, skipna=False) == "string":
        return array.tolist(), None
    missing = pd.isna(array)
    return [str(v) for v in values.tolist()], (missing if missing.any() else None)


def _labels(frame: pd.DataFrame, column: str, ids: Sequence[str]) -> list:
    labels, missing = _texts(frame[column])
    if missing is not None:
        unit = ids[int(np.flatnonzero(missing)[0])]
        raise DataError(f"column '{column}', unit '{unit}': the label is missing")
    return labels


def _numbers(frame: pd.DataFrame, column, ids: Sequence[str]) -> np.ndarray:
    raw = frame[column]
    # Dates and complex numbers would otherwise become nanoseconds or lose a part, silently.
    if pd.api.types.is_datetime64_any_dtype(raw) or pd.api.types.is_timedelta64_dtype(raw) or \
            isinstance(raw.dtype, pd.PeriodDtype):
        raise DataError(f"column '{column}': holds dates or times ({raw.dtype}), not numbers")
    if pd.api.types.is_complex_dtype(raw):
        raise DataError(f"column '{column}': holds complex numbers, not real numbers")
    if raw.dtype == object:
        kinds = {type(v).__name__ for v in raw if isinstance(v, (complex, np.complexfloating, pd.Timestamp,
                                                                 np.datetime64, pd.Timedelta)) or
                 hasattr(v, "isoformat")}
        if kinds:
            raise DataError(f"column '{column}': holds {', '.join(sorted(kinds))} values, not numbers")
    numbers = pd.to_numeric(raw, errors="coerce").astype("float64")
    bad = (numbers.isna() & raw.notna()).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(f"column '{column}', unit '{ids[i]}': {raw.iloc[i]!r} is not a number")
    return numbers.to_numpy()


def _float_block(frame: pd.DataFrame, indicators: list, where: Dict[Any, int]) -> Optional[np.ndarray]:
    """The indicator columns as an N x M float64 array straight from the frame's
    storage, or None.

    pandas keeps the float64 columns of a frame together in one 2-D block
    (columns x rows); its transpose is the N x M matrix, column-major for a
    block pandas consolidated, row-major for a frame made from a 2-D array.
    When the indicators are that block's columns in order it is passed as it
    is (no copy: pybind11 then copies it once, into the Dataset's own storage);
    when they are some of its columns, reordered or not, one take. This reads
    pandas' internal block manager; any other layout, or another pandas, gives
    None. Column names must be unique (``where`` has one entry per column).
    """
    try:
        header = frame.columns.tolist()
        for block in frame._mgr.blocks:
            if block.dtype != np.float64 or block.values.ndim != 2:
                continue
            locs = block.mgr_locs.as_array
            if len(locs) == len(indicators) and [header[i] for i in locs.tolist()] == indicators:
                return block.values.T
            row_of = np.full(len(header), -1, dtype=np.intp)
            row_of[locs] = np.arange(len(locs))
            rows = row_of[[where[c] for c in indicators]]
            if (rows >= 0).all():
                return block.values[rows].T
    except (AttributeError, TypeError, ValueError):
        pass
    return None


def _column_positions(frame: pd.DataFrame) -> Dict[Any, int]:
    """Each column name's position, as a dict: membership and positions without pandas'
    per-name cost (Index.get_indexer of 32 names costs about a millisecond)."""
    return {c: i for i, c in enumerate(frame.columns.tolist())}


def _value_matrix(frame: pd.DataFrame, indicators: Sequence, ids: Sequence[str],
                  where: Optional[Dict[Any, int]] = None) -> np.ndarray:
    """The indicator columns as one N x M float64 array (pandas' own float64 block
    where it can be). Numeric columns convert as a block; only text (object) columns
    are checked cell by cell, so that a text cell is a DataError naming column and unit."""
    indicators = list(indicators)
    if not indicators:
        return np.empty((len(ids), 0), dtype="float64", order="F")
    if where is None:
        where = _column_positions(frame)
    if len(where) == frame.shape[1]:
        block = _float_block(frame, indicators, where)
        if block is not None:
            return block
        positions = np.array([where[c] for c in indicators], dtype=np.intp)
    else:   # repeated column names: let pandas say which
        positions = frame.columns.get_indexer(indicators)
    selected = frame.iloc[:, positions]
    # Text, complex and time columns go through _numbers, which names the column or cell.
    text = [j for j, dtype in enumerate(selected.dtypes)
            if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_complex_dtype(dtype)
            or pd.api.types.is_timedelta64_dtype(dtype)]
    if not text:
        return selected.to_numpy(dtype="float64", na_value=np.nan)
    values = np.empty((len(ids), len(indicators)), dtype="float64", order="F")
    numeric = [j for j in range(len(indicators)) if j not in set(text)]
    if numeric:
        values[:, numeric] = selected.iloc[:, numeric].to_numpy(dtype="float64", na_value=np.nan)
    for j in text:
        values[:, j] = _numbers(frame, indicators[j], ids)
    return values


def to_dataset(
    frame: pd.DataFrame,
    *,
    id_column: Optional[str] = "id",
    name_column: Optional[str] = "name",
    groups: Iterable[str] = (),
    indicators: Optional[Sequence[str]] = None,
) -> Dataset:
    """A Dataset from a wide DataFrame (one row per unit).

    Unit ids come from the column ``id_column`` if there is one, otherwise
    from the index. Display names come from ``name_column`` if present.
    ``groups`` are grouping columns (e.g. ``["level"]``); their labels must not
    be missing. The indicators are ``indicators`` or else every remaining
    column; their values must be numbers or missing (NaN/None) — a text cell
    is a DataError naming column and unit. Column names are kept as they are
    (Chinese names included) and are the indicator ids.
    """
    if isinstance(frame.columns, pd.MultiIndex):
        raise DataError(f"the DataFrame has MultiIndex columns ({frame.columns.nlevels} levels, e.g. "
                        f"{frame.columns[0]!r}); flatten them to one name per column first, e.g. "
                        "frame.columns = ['_'.join(map(str, c)) for c in frame.columns]")
    where = _column_positions(frame)
    if id_column is not None and id_column in where:
        id_values, id_name = frame[id_column], id_column
    else:
        id_values, id_name = frame.index, (frame.index.name or "index")
    ids, missing = _texts(id_values)
    if missing is not None:
        row = int(np.flatnonzero(missing)[0])
        raise DataError(f"column '{id_name}': the unit id of row {row + 1} is missing (None or NaN)")
    groups = list(groups)
    for column in groups:
        if column not in where:
            raise DataError(f"grouping column '{column}' is not in the data (columns: "
                            f"{', '.join(map(str, frame.columns))})")
    if indicators is None:
        taken = {id_column, name_column, *groups}
        indicators = [c for c in frame.columns.tolist() if c not in taken]
    else:
        indicators = list(indicators)
        for column in indicators:
            if column not in where:
                raise DataError(f"indicator column '{column}' is not in the data")
    data = Dataset(ids, [str(c) for c in indicators], _value_matrix(frame, indicators, ids, where))
    if name_column is not None and name_column in where:
        names, missing = _texts(frame[name_column])
        if missing is not None:   # a unit without a name is shown by its id
            names = [ids[i] if gap else name for i, (name, gap) in enumerate(zip(names, missing.tolist()))]
        data.unit_names = names
    for column in groups:
        data.set_group(column, _labels(frame, column, ids))
    return data


def to_frame(data: Dataset, *, id_column: str = "id", name_column: str = "name") -> pd.DataFrame:
    """The Dataset as a wide DataFrame: unit id as the index, then the name,
    the grouping columns and the indicator columns."""
    index = pd.Index(data.unit_ids, name=id_column)
    columns = {name_column: data.unit_names}
    columns.update(data.groups)
    frame = pd.DataFrame(columns, index=index)
    values = pd.DataFrame(np.array(data.values), index=index, columns=data.indicator_ids)
    return pd.concat([frame, values], axis=1)


def read_csv(
    path: PathLike,
    *,
    id_column: Optional[str] = None,
    name_column: str = "name",
    groups: Iterable[str] = (),
    indicators: Sequence[str] = (),
    rename: Optional[Mapping[str, str]] = None,
    encoding: Optional[str] = None,
    framework: Optional[Framework] = None,
    labels: Optional[Mapping[str, Mapping[str, str]]] = None,
    percent: str = "points",
    ignore_extra: bool = False,
    layout: str = "wide",
    year: Optional[Union[int, str]] = None,
) -> pd.DataFrame:
    """Reads a CSV file with parkscore's strict reader into a DataFrame.

    The reader accepts RFC 4180 CSV in UTF-8 (with or without BOM) or, with
    ``encoding`` (e.g. ``"gb18030"`` for Chinese Excel), any encoding iconv
    knows; empty, NA, N/A, -, — and / cells are missing; any other non-number
    is a DataError naming file, line and column.

    Without ``framework``: a wide file; ``groups`` are grouping columns,
    ``indicators`` limits the indicator columns (default: every other column),
    ``rename`` maps headers to indicator ids.

    With ``framework`` the file is read for it by the same rules as the
    command line (docs/data-files.md): headers match indicators by id, Chinese
    or English name (``rename`` adds spellings), grouping columns and labels
    by the framework's ``groups`` and ``labels`` (e.g. ``{"level": {"省级":
    "provincial"}}``), values are read on each indicator's declared scale (a
    fraction indicator reads ``12.5%`` as 0.125; ``percent`` applies to the
    others), ids are cleaned (white space, BOM, full-width characters) and
    checked, ``layout="long"`` reads a long file (``year`` picks the year).
    Reading notes are issued as ``UserWarning``. The data year (from a year
    column, or the long layout's year) is in ``frame.attrs["year"]``.

    The result has the unit id as the index and columns ``name``, the groups
    and the indicators, ready for :func:`parkscore.evaluate`.
    """
    index_name = id_column or "id"
    if framework is None:
        data = _core.read_wide(os.fspath(path), index_name, name_column, list(groups), list(indicators),
                               dict(rename or {}), encoding or "")
        return to_frame(data, id_column=index_name, name_column=name_column)
    data, notes = _core.read_data(os.fspath(path), framework, encoding or "", layout, id_column or "", name_column,
                                  list(groups), dict(rename or {}), {k: dict(v) for k, v in (labels or {}).items()},
                                  percent, ignore_extra, "" if year is None else str(year))
    for note in notes:
        warnings.warn(note, UserWarning, stacklevel=2)
    frame = to_frame(data, id_column=index_name, name_column=name_column)
    if data.period:
        frame.attrs["year"] = data.period
    return frame
