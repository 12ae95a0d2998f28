#!/usr/bin/env bash
# Runs a benchmark by hand against a private PostgreSQL under .data/bench (port 5435).
#   bench/run.sh import [rows]               import through the HTTP API vs PostgreSQL COPY
#   bench/run.sh orders [seconds] [clients]  concurrent sales for one empresa
#   bench/run.sh reimport [rows]             a stock-only re-import with and without a search index built before it
#   bench/run.sh notifications [count]       order notifications/s under Meta's throughput, beside unpaced sends
#   bench/run.sh media [count] [kb]           customer photos downloaded into PostgreSQL, beside straight downloads
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
ensure_prerequisites
PG_DIR="$ROOT/.data/bench/postgres"
export AV_TEST_POSTGRES
AV_TEST_POSTGRES="$(pg_start "$PG_DIR" "${AV_BENCH_PG_PORT:-5435}")"
trap 'pg_stop "$PG_DIR"' EXIT
dotnet build bench/Bench/Bench.csproj -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
dotnet bench/Bench/bin/Release/net10.0/AgenteVendedor.Bench.dll "$@"
