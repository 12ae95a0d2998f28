#!/usr/bin/env bash
# The whole test suite against real parts: installs what is missing, starts a PostgreSQL of its
# own under .data/test (never the one ./run.sh uses), builds, and runs every test project.
source "$(dirname "$0")/scripts/lib.sh"
cd "$ROOT"

PG_DIR="$ROOT/.data/test/postgres"
PG_PORT="${AV_TEST_PG_PORT:-}"
started=$(date +%s)

ensure_prerequisites
ensure_browser
pg_stop "$PG_DIR"
rm -rf "$PG_DIR"
# Its own port: a PostgreSQL left running by someone else on 5434 must not stop the suite.
PG_PORT="${PG_PORT:-$(free_port 5434)}"
export AV_TEST_POSTGRES
AV_TEST_POSTGRES="$(AV_PG_FSYNC=off pg_start "$PG_DIR" "$PG_PORT")"
trap 'pg_stop "$PG_DIR"' EXIT

rm -f "$ROOT/.data/test/agent-corpus.txt" "$ROOT/.data/test/retrieval.txt"
log "compilando (Release)"
dotnet build AgenteVendedor.sln -c Release -nologo -v q -clp:ErrorsOnly

log "ejecutando las pruebas"
output="$ROOT/.data/test/dotnet-test.log"
set +e
# The backend projects side by side; then the panel's browser tests alone, so their timing is their own.
dotnet test tests/Grains.Tests -c Release --no-build -nologo --logger "console;verbosity=normal" >"$output.grains" 2>&1 &
grains_pid=$!
dotnet test tests/Api.Tests -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$output"
status=${PIPESTATUS[0]}
wait "$grains_pid" || status=1
cat "$output.grains" | tee -a "$output"
dotnet test tests/Panel.Tests -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee -a "$output"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
set -e

# The per-project summaries ("     Passed: 36", "     Failed: 1"), summed over the test projects.
count() { awk -v key="$1" '$1 == key":" && $2 ~ /^[0-9]+$/ { s += $2 } END { print s + 0 }' "$output"; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
# The offline agent's corpus and the search's quality, as the tests measured them in this run.
if [ -f "$ROOT/.data/test/agent-corpus.txt" ]; then grep '^\[agent\]' "$ROOT/.data/test/agent-corpus.txt"; fi
if [ -f "$ROOT/.data/test/retrieval.txt" ]; then sort -u "$ROOT/.data/test/retrieval.txt"; fi
log "duración total: $(( $(date +%s) - started )) s"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
