#!/usr/bin/env bash
# Builds libavfaiss.so (our C shim over Debian's static libfaiss.a) into the folder given.
# Needs g++ and libfaiss-dev (with BLAS/LAPACK); scripts/lib.sh installs them.
set -euo pipefail
out="${1:?usage: build.sh OUTPUT_DIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$out"
if [ ! -f /usr/include/faiss/Index.h ] || [ ! -f /usr/lib/x86_64-linux-gnu/libfaiss.a ] && [ -z "$(ls /usr/lib/*/libfaiss.a 2>/dev/null)" ]; then
  echo "error: FAISS headers or libfaiss.a missing: apt-get install libfaiss-dev g++ (./run.sh and ./test.sh do it)" >&2
  exit 1
fi
# -fopenmp: FAISS uses OpenMP; without it the .so links but fails to load (omp_set_lock undefined).
g++ -std=c++17 -O2 -fPIC -shared -fopenmp -Wl,--no-undefined \
  -o "$out/libavfaiss.so" "$here/av_faiss.cpp" \
  -Wl,--whole-archive -l:libfaiss.a -Wl,--no-whole-archive -lblas -llapack
