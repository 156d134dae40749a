"""The catalogue of bad inputs (docs/reliability.md): every case in cases.json is run
through the command-line tool or the Python package and must give its documented
outcome — an error whose message holds the expected fragments (file, line, column,
JSON path, unit, indicator) and no crash, or a defined result.

Run through ctest (bad_inputs.cli, bad_inputs.python), or:
  PARKSCORE_BIN=build/cli/parkscore PYTHONPATH=build/python /usr/bin/python3 -m pytest tests/bad_inputs
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("PARKSCORE_SOURCE_DIR", HERE.parents[1]))
BIN = str(Path(os.environ.get("PARKSCORE_BIN", ROOT / "build" / "cli" / "parkscore")).resolve())
CASES = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))


def materialise(case, where: Path):
    for name, text in case.get("files", {}).items():
        (where / name).write_bytes(text.encode("utf-8"))
    # Large or binary inputs are described, not stored: prefix + repeat x times + suffix.
    for name, g in case.get("generated", {}).items():
        # "bytes": the text holds escapes such as \xff for bytes that are not UTF-8.
        if g.get("bytes"):
            def encode(s):
                return s.encode("latin-1").decode("unicode_escape").encode("latin-1")
        else:
            def encode(s):
                return s.encode("utf-8")
        (where / name).write_bytes(encode(g["prefix"]) + encode(g["repeat"]) * g["times"] + encode(g["suffix"]))


def by_run(kind):
    return [pytest.param(c, id=c["id"]) for c in CASES if c["run"] == kind]


def test_catalogue_size_and_ids():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    assert len(CASES) >= 80
    assert {c["class"] for c in CASES} == {"data", "framework", "rules", "multi-year", "python"}


@pytest.mark.parametrize("case", by_run("cli"))
def test_cli_case(case, tmp_path):
    materialise(case, tmp_path)
    p = subprocess.run([BIN, *case["args"]], capture_output=True, cwd=tmp_path, timeout=120)
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    expect = case["expect"]
    # A signal (negative code) or a sanitizer abort is a crash, never an acceptable answer.
    assert p.returncode >= 0, f"crashed with signal {-p.returncode}: {err[-2000:]}"
    assert "Sanitizer" not in err and "runtime error" not in err, err[-2000:]
    if expect["exit"] == "ok":
        assert p.returncode == 0, err[-2000:]
    else:
        assert p.returncode != 0, out[-2000:]
    for fragment in expect.get("stderr", []):
        assert fragment in err, f"missing {fragment!r} in:\n{err[:3000]}"
    for fragment in expect.get("stdout", []):
        assert fragment in out, f"missing {fragment!r} in:\n{out[:3000]}"
    for fragment in expect.get("absent", []):
        assert fragment not in out and fragment not in err, f"{fragment!r} should not appear:\n{out[:3000]}"
    if "max_output" in expect:
        assert len(out) + len(err) <= expect["max_output"], f"{len(out) + len(err)} characters of output"


@pytest.mark.parametrize("case", by_run("python"))
def test_python_case(case, tmp_path):
    materialise(case, tmp_path)
    expect = case["expect"]
    # A child interpreter: a crash (stack overflow, abort) must show as such, not kill the test run.
    driver = (
        "import sys, traceback\n"
        "try:\n"
        f"    exec(compile({case['code']!r}, 'case', 'exec'), {{}})\n"
        "except Exception as e:\n"
        "    print('RAISED', type(e).__name__, file=sys.stderr); print(e, file=sys.stderr); sys.exit(3)\n"
    )
    p = subprocess.run([sys.executable, "-c", driver], capture_output=True, cwd=tmp_path, timeout=300,
                       env=dict(os.environ))
    err = p.stderr.decode("utf-8", "replace")
    assert p.returncode >= 0, f"the interpreter died with signal {-p.returncode}: {err[-2000:]}"
    if "raises" in expect:
        assert p.returncode == 3, f"expected {expect['raises']}, got exit {p.returncode}: {err[-2000:]}"
        assert f"RAISED {expect['raises']}" in err, err[-2000:]
        for fragment in expect.get("message", []):
            assert fragment in err, f"missing {fragment!r} in:\n{err[:3000]}"
        # What the message used to say instead (a binding's internals, a numpy error) must not come back.
        for fragment in expect.get("absent", []):
            assert fragment not in err, f"{fragment!r} should not appear:\n{err[:3000]}"
    else:
        assert p.returncode == 0, err[-3000:]
