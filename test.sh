#!/usr/bin/env bash
# The whole test suite against real parts: installs what is missing, starts a PostgreSQL of its
# own under .data/test (never the one ./run.sh uses), builds, and runs every test project.
source "$(dirname "$0")/scripts/lib.sh"
cd "$ROOT"

PG_DIR="$ROOT/.data/test/postgres"
PG_PORT="${AV_TEST_PG_PORT:-5434}"
started=$(date +%s)

ensure_prerequisites
pg_stop "$PG_DIR"
rm -rf "$PG_DIR"
export AV_TEST_POSTGRES
AV_TEST_POSTGRES="$(AV_PG_FSYNC=off pg_start "$PG_DIR" "$PG_PORT")"
trap 'pg_stop "$PG_DIR"' EXIT

log "compilando (Release)"
dotnet build AgenteVendedor.sln -c Release -nologo -v q -clp:ErrorsOnly

log "ejecutando las pruebas"
output="$ROOT/.data/test/dotnet-test.log"
set +e
dotnet test AgenteVendedor.sln -c Release --no-build -nologo 2>&1 | tee "$output"
status=${PIPESTATUS[0]}
set -e

passed=$(grep -Eo 'Passed: +[0-9]+' "$output" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$output" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$output" | awk '{s+=$2} END {print s+0}')
log "duración total: $(( $(date +%s) - started )) s"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
