#!/bin/sh
# usage: pip_install.sh PYTHON PACKAGE_DIR CMAKE_BUILD_DIR WORKDIR
# Offline pip install (no index, no build isolation) into a temporary prefix, then import it from
# a directory that has no hotline sources, with only that prefix on the path.
set -eu
python=$1 pkg=$2 build=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
export HOTLINE_CMAKE_BUILD_DIR="$build"
export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# pip builds in a copy when the tree is read-only; keep the source clean of build outputs.
"$python" -m pip install --no-build-isolation --no-deps --prefix "$work/prefix" "$pkg"
site=$("$python" -c "import sysconfig,sys; print(sysconfig.get_path('purelib', vars={'base': sys.argv[1]}))" "$work/prefix")
platsite=$("$python" -c "import sysconfig,sys; print(sysconfig.get_path('platlib', vars={'platbase': sys.argv[1]}))" "$work/prefix")
cd "$work"
PYTHONPATH="$site:$platsite" PYTHONNOUSERSITE=1 "$python" -c "
import hotline, hotline.calendar, os
assert os.path.abspath(hotline.__file__).startswith(os.path.abspath('$work')), hotline.__file__
cal = hotline.calendar.Calendar.always_open()
print('imported hotline', hotline.__version__, 'from', os.path.dirname(hotline.__file__))
"
