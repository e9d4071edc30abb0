"""The wheel carries xslt/ and schemas/, and `edition` works when installed outside the repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, repo) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # --no-build-isolation: hatchling comes from the test environment, so no download is needed.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(out), str(repo)], check=True)
    return next(out.glob("edition-*.whl"))


def test_wheel_contains_stylesheets_and_schemas(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "edition/_data/xslt/common/functions.xsl" in names
    assert "edition/_data/schemas/edition.rng" in names
    assert "edition/_data/schemas/edition.sch" in names
    assert "edition/cli.py" in names


def test_installed_wheel_validates_an_edition_elsewhere(wheel, tmp_path, repo):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # The dependencies (lxml, saxonche ...) come from the test environment's site-packages; a plain path
    # entry does not run that folder's .pth files, so the repository's editable install stays invisible.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    str(wheel)], check=True)

    edition_dir = tmp_path / "my-edition"
    shutil.copytree(repo / "tei", edition_dir / "tei")
    shutil.copy(repo / "edition.toml", edition_dir / "edition.toml")
    where = subprocess.run([str(python), "-c", "import edition, edition.resources as r; "
                            "print(edition.__file__); print(r.data_dir('schemas'))"],
                           capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert str(env_dir) in where and str(repo) not in where
    result = subprocess.run([str(env_dir / "bin" / "edition"), "-C", str(edition_dir), "validate"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
