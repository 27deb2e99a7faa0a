"""Builds the native module _hotline with CMake and packages it with the pure-Python files.

Environment:
  HOTLINE_CMAKE_BUILD_DIR  reuse this CMake build tree (configured from the repository root);
                           the default is a private tree under build/ of this folder.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def read_version() -> str:
    text = (ROOT / "include" / "hotline" / "core" / "version.hpp").read_text()
    parts = [re.search(rf"#define HOTLINE_VERSION_{p} (\d+)", text).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(parts)


class CMakeExtension(Extension):
    def __init__(self, name: str) -> None:
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        build_dir = Path(os.environ.get("HOTLINE_CMAKE_BUILD_DIR") or (HERE / "build" / "cmake"))
        if not (build_dir / "CMakeCache.txt").exists():
            subprocess.check_call([
                "cmake", "-S", str(ROOT), "-B", str(build_dir),
                "-DCMAKE_BUILD_TYPE=Release",
                f"-DPython_EXECUTABLE={sys.executable}",
                "-DHOTLINE_BUILD_PYTHON=ON", "-DHOTLINE_BUILD_TESTS=OFF",
                "-DHOTLINE_BUILD_BENCH=OFF", "-DHOTLINE_BUILD_EXAMPLES=OFF",
                "-DHOTLINE_BUILD_CAPI=OFF", "-DHOTLINE_INSTALL=OFF",
            ])
        subprocess.check_call(["cmake", "--build", str(build_dir), "--target", "_hotline",
                               "--parallel", str(os.cpu_count() or 2)])
        built = sorted((build_dir / "python" / "hotline").glob("_hotline*.so"))
        if not built:
            raise RuntimeError(f"CMake did not produce _hotline in {build_dir}/python/hotline")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built[-1], target)


setup(
    version=read_version(),
    ext_modules=[CMakeExtension("hotline._hotline")],
    cmdclass={"build_ext": CMakeBuild},
)
