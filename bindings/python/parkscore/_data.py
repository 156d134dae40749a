"""pandas <-> Dataset conversions (wide and long layouts)."""

from __future__ import annotations

import os
from typing import Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from ._core import DataError, Dataset

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


def _labels(frame: pd.DataFrame, column: str, ids: Sequence[str]) -> list:
    values = frame[column]
    missing = values.isna().to_numpy()
    if missing.any():
        unit = ids[int(np.flatnonzero(missing)[0])]
        raise DataError(f"column '{column}', unit '{unit}': the label is missing")
    return [str(v) for v in values]


def _numbers(frame: pd.DataFrame, column, ids: Sequence[str]) -> np.ndarray:
    raw = frame[column]
    numbers = pd.to_numeric(raw, errors="coerce").astype("float64")
    bad = (numbers.isna() & raw.notna()).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(f"column '{column}', unit '{ids[i]}': {raw.iloc[i]!r} is not a number")
    return numbers.to_numpy()


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
    if id_column is not None and id_column in frame.columns:
        ids = [str(v) for v in frame[id_column]]
    else:
        ids = [str(v) for v in frame.index]
    groups = list(groups)
    for column in groups:
        if column not in frame.columns:
            raise DataError(f"grouping column '{column}' is not in the data (columns: "
                            f"{', '.join(map(str, frame.columns))})")
    if indicators is None:
        taken = {id_column, name_column, *groups}
        indicators = [c for c in frame.columns if c not in taken]
    else:
        for column in indicators:
            if column not in frame.columns:
                raise DataError(f"indicator column '{column}' is not in the data")
    values = np.empty((len(ids), len(indicators)), dtype="float64", order="F")
    for j, column in enumerate(indicators):
        values[:, j] = _numbers(frame, column, ids)
    data = Dataset(ids, [str(c) for c in indicators], values)
    if name_column is not None and name_column in frame.columns:
        data.unit_names = [str(v) if pd.notna(v) else ids[i] for i, v in enumerate(frame[name_column])]
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
    id_column: str = "id",
    name_column: str = "name",
    groups: Iterable[str] = (),
    indicators: Sequence[str] = (),
    rename: Optional[Mapping[str, str]] = None,
) -> pd.DataFrame:
    """Reads a wide CSV file with parkscore's strict reader into a DataFrame.

    The reader accepts RFC 4180 CSV in UTF-8 (with or without BOM); empty, NA,
    N/A, -, — and / cells are missing; any other non-number is a DataError
    naming file, line and column. ``groups`` are grouping columns,
    ``indicators`` limits the indicator columns (default: every other column),
    ``rename`` maps headers to indicator ids. The result has the unit id as the
    index and columns ``name``, the groups and the indicators, ready for
    :func:`parkscore.evaluate`.
    """
    data = _core.read_wide(os.fspath(path), id_column, name_column, list(groups), list(indicators), dict(rename or {}))
    return to_frame(data, id_column=id_column, name_column=name_column)
