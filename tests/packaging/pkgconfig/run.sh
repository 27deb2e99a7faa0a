#!/bin/sh
# usage: run.sh PREFIX CC SOURCE OUTDIR — builds SOURCE with pkg-config flags only and runs it.
set -eu
prefix=$1 cc=$2 src=$3 out=$4
mkdir -p "$out"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig:$prefix/lib64/pkgconfig"
flags=$(pkg-config --cflags --libs hotline)
echo "pkg-config: $flags"
"$cc" -std=c99 -Wall -Wextra -pedantic -Werror "$src" $flags -o "$out/consumer"
libdir=$(pkg-config --variable=libdir hotline)
LD_LIBRARY_PATH="$libdir" "$out/consumer"
