#!/usr/bin/env bash
# Runs every pytest suite and every Python example under LeakSanitizer (CTest: memcheck_python).
#   scripts/lsan-python.sh PYTHON LIBLSAN LOG_DIR SOURCE_DIR
# The interpreter runs with LIBLSAN preloaded and PYTHONMALLOC=malloc, so every allocation of the
# interpreter, the _hotline module, the library and the CLI subprocesses the tests start is
# tracked. Any leak report (from any of those processes) fails the run and is printed.
# PYTHONPATH, HOTLINE_CLI and HOTLINE_SOURCE_DIR come from the caller (CTest).
set -uo pipefail
py=$1 lsan=$2 logs=$3 src=$4
rm -rf "$logs" && mkdir -p "$logs"
export PYTHONMALLOC=malloc LD_PRELOAD="$lsan" LSAN_OPTIONS="exitcode=0:log_path=$logs/leak"
status=0
"$py" -m pytest -q -p no:cacheprovider "$src"/tests/*/ || status=1
for example in "$src"/examples/python/*.py; do
  (cd "$src" && "$py" "$example" >/dev/null) || { echo "failed: $example"; status=1; }
done
unset LD_PRELOAD
if compgen -G "$logs/leak*" >/dev/null; then
  cat "$logs"/leak*
  echo "memcheck_python: LeakSanitizer reported leaks (logs in $logs)" >&2
  exit 1
fi
[ $status = 0 ] && echo "memcheck_python: no leaks in the pytest suites and the Python examples"
exit $status
