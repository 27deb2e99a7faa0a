"""Shared pytest fixtures: paths to the source tree and the hotline CLI."""

import os
import subprocess
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("HOTLINE_SOURCE_DIR", Path(__file__).resolve().parent.parent))


@pytest.fixture
def source_dir() -> Path:
    return SOURCE_DIR


@pytest.fixture
def examples() -> Path:
    return SOURCE_DIR / "examples"


@pytest.fixture
def cli():
    """Runs the hotline CLI and returns the CompletedProcess (skips when it was not built)."""
    exe = os.environ.get("HOTLINE_CLI")
    if not exe:
        pytest.skip("HOTLINE_CLI not set (examples not built)")

    def run(*args, check=True):
        proc = subprocess.run([exe, *map(str, args)], capture_output=True, text=True)
        if check and proc.returncode != 0:
            raise AssertionError(f"hotline {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stderr}")
        return proc

    return run
