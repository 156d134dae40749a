"""Shared fixtures of the Python tests (run by ctest as python.pytest)."""

import os
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
# CJK glyphs are missing from matplotlib's default font; that is a font matter, not a test failure.
warnings.filterwarnings("ignore", message="Glyph .* missing from current font")

SOURCE_DIR = Path(os.environ.get("PARKSCORE_SOURCE_DIR", Path(__file__).resolve().parents[2]))


@pytest.fixture
def source_dir() -> Path:
    return SOURCE_DIR


@pytest.fixture
def demo_framework_path() -> Path:
    return SOURCE_DIR / "docs" / "examples" / "demo-framework.json"


@pytest.fixture
def demo_csv() -> Path:
    return SOURCE_DIR / "examples" / "data" / "demo.csv"


# parkscore is imported where it is used: tests of this directory that need no
# built package (test_example_data.py) run without it on PYTHONPATH.
def build_two_category_framework():
    """tests/fixtures.hpp two_category_framework(): index -> A (2: a1, a2 lower), B (1: b1)."""
    import parkscore

    fw = parkscore.Framework("index", "Demo index")
    fw.add_category("index", "A", weight=2)
    fw.add_indicator("A", "a1")
    fw.add_indicator("A", "a2", direction="lower")
    fw.add_category("index", "B", weight=1)
    fw.add_indicator("B", "b1")
    return fw


@pytest.fixture
def two_category_framework():
    return build_two_category_framework()


@pytest.fixture
def four_units() -> pd.DataFrame:
    """tests/fixtures.hpp four_units(): a1 = 0, 10, 20, 40; a2 = 5, 1, 3, 1; b1 = 2, 4, 6, 8."""
    return pd.DataFrame(
        {
            "id": ["u1", "u2", "u3", "u4"],
            "level": ["national", "provincial", "national", "provincial"],
            "a1": [0.0, 10, 20, 40],
            "a2": [5.0, 1, 3, 1],
            "b1": [2.0, 4, 6, 8],
        }
    )


NaN = np.nan
