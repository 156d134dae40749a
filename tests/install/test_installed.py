"""The installed CLI finds its presets relative to where it is installed (issue 11): install to a temporary
prefix, move it (so neither the configure-time prefix nor the build tree is where it lives), hide
PARKSCORE_PRESET_DIR, run from a folder outside the source tree. Run by ctest as install.presets."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

BUILD = Path(os.environ["PARKSCORE_BUILD_DIR"])
SOURCE = Path(os.environ["PARKSCORE_SOURCE_DIR"])


def test_installed_cli_finds_its_presets():
    with tempfile.TemporaryDirectory(prefix="parkscore-install-") as tmp:
        tmp = Path(tmp)
        subprocess.run(["cmake", "--install", str(BUILD), "--prefix", str(tmp / "prefix")],
                       check=True, capture_output=True)
        moved = tmp / "moved"
        shutil.move(str(tmp / "prefix"), str(moved))
        work = tmp / "work"
        work.mkdir()
        shutil.copy(SOURCE / "examples" / "data" / "jiangsu-2023.csv", work / "jiangsu-2023.csv")
        env = {k: v for k, v in os.environ.items() if k != "PARKSCORE_PRESET_DIR"}
        cli = str(moved / "bin" / "parkscore")

        def run(*args):
            p = subprocess.run([cli, *args], capture_output=True, cwd=work, env=env)
            return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")

        rc, out, err = run("presets")
        assert rc == 0, err
        assert "jiangsu-2021" in out and "mofcom-2021" in out
        rc, out, err = run("score", "jiangsu-2021", "jiangsu-2023.csv", "--ignore-extra", "--top", "1")
        assert rc == 0, err
        rc, out, err = run("score", "no-such-preset", "jiangsu-2023.csv")
        assert rc == 1
        presets = str((moved / "share" / "parkscore" / "presets").resolve())
        assert "folders searched:" in err and presets in err and "PARKSCORE_PRESET_DIR" in err
        assert str(SOURCE / "presets") not in err  # the installed program never looks at the source tree
