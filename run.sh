#!/usr/bin/env bash
# Brings AgenteVendedor up on this machine: a private PostgreSQL under .data/run, one silo, the Api
# on http://127.0.0.1:$PORT and the staff panel on http://127.0.0.1:$PANEL_PORT. Stays in the foreground; Ctrl+C (or SIGTERM) stops it all.
# Any environment variable given to it (Section__Key, e.g. Jwt__LifetimeMinutes=30) reaches both processes.
source "$(dirname "$0")/scripts/lib.sh"
cd "$ROOT"

PORT="${PORT:-8080}"
PANEL_PORT="${PANEL_PORT:-8081}"
PG_PORT="${AV_PG_PORT:-5433}"
RUN_DIR="$ROOT/.data/run"
LOG_DIR="$RUN_DIR/logs"
DEMO_EMAIL="${AV_DEMO_EMAIL:-demo@agentevendedor.local}"
DEMO_PASSWORD="${AV_DEMO_PASSWORD:-demo-12345}"

started_ms=$(( $(date +%s%N) / 1000000 ))
ensure_prerequisites
mkdir -p "$LOG_DIR"
connection="$(pg_start "$RUN_DIR/postgres" "$PG_PORT")"

log "compilando (Release)"
dotnet build src/Silo/Silo.csproj -c Release -nologo -v q -clp:ErrorsOnly
dotnet build src/Api/Api.csproj -c Release -nologo -v q -clp:ErrorsOnly
dotnet build src/Panel/Panel.csproj -c Release -nologo -v q -clp:ErrorsOnly

export ConnectionStrings__Postgres="${ConnectionStrings__Postgres:-$connection}"
export DataDirectory="${DataDirectory:-$RUN_DIR}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-$ASPNETCORE_ENVIRONMENT}"
export Orleans__SiloPort="${Orleans__SiloPort:-11111}"
export Orleans__GatewayPort="${Orleans__GatewayPort:-30000}"

pids=()
cleanup() {
  trap - EXIT INT TERM
  if [ "${#pids[@]}" -gt 0 ]; then
    log "deteniendo"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  pg_stop "$RUN_DIR/postgres"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

dotnet src/Silo/bin/Release/net10.0/AgenteVendedor.Silo.dll >"$LOG_DIR/silo.log" 2>&1 &
pids+=($!)
dotnet src/Api/bin/Release/net10.0/AgenteVendedor.Api.dll --urls "http://127.0.0.1:$PORT" >"$LOG_DIR/api.log" 2>&1 &
pids+=($!)
# The panel reaches the Api over HTTP only, like any integrator.
Api__BaseUrl="http://127.0.0.1:$PORT" dotnet src/Panel/bin/Release/net10.0/AgenteVendedor.Panel.dll \
  --urls "http://127.0.0.1:$PANEL_PORT" >"$LOG_DIR/panel.log" 2>&1 &
pids+=($!)

url="http://127.0.0.1:$PORT"
panel_url="http://127.0.0.1:$PANEL_PORT"
for _ in $(seq 1 240); do
  if curl -fsS "$url/health/ready" >/dev/null 2>&1; then break; fi
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "un proceso terminó al arrancar; últimas líneas de los registros:"
      tail -n 40 "$LOG_DIR/silo.log" "$LOG_DIR/api.log" "$LOG_DIR/panel.log" >&2
      exit 1
    fi
  done
  sleep 0.5
done
curl -fsS "$url/health/ready" >/dev/null || { log "el sistema no quedó listo; mira $LOG_DIR"; exit 1; }
for _ in $(seq 1 60); do
  if curl -fsS "$panel_url/health" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "$panel_url/health" >/dev/null || { log "el panel no quedó listo; mira $LOG_DIR/panel.log"; exit 1; }

# A demo empresa to log in with; registering twice is refused, so a second run keeps the first one.
# Only the run that registers it fills it with a month of demo data (scripts/seed-demo.sh).
demo_body=$(printf '{"empresa":{"nombre":"Ferretería Demo"},"usuario":{"nombre":"Demo","email":"%s","password":"%s"}}' "$DEMO_EMAIL" "$DEMO_PASSWORD")
registered=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url/auth/registro" -H 'content-type: application/json' -d "$demo_body" || true)
if [ "$registered" = "201" ]; then
  log "empresa demo registrada; cargando datos de demostración"
  "$ROOT/scripts/seed-demo.sh" "$url" "$DEMO_EMAIL" "$DEMO_PASSWORD" "$ConnectionStrings__Postgres" \
    || log "no se pudieron cargar los datos de demostración; la empresa demo queda como está"
fi

elapsed_ms=$(( $(date +%s%N) / 1000000 - started_ms ))
elapsed="$(( elapsed_ms / 1000 )).$(printf '%03d' $(( elapsed_ms % 1000 )))"
cat <<INFO
Panel: $panel_url

  AgenteVendedor está listo en $elapsed s
  API:            $url
  Documentación:  $url/docs
  Salud:          $url/health/ready
  Demo:           $DEMO_EMAIL / $DEMO_PASSWORD   (en el panel, o POST $url/auth/login)
  Registros:      $LOG_DIR
  Ctrl+C para detener.

INFO

wait -n "${pids[@]}" || true
log "un proceso terminó; deteniendo el resto (registros en $LOG_DIR)"
exit 1
