#!/usr/bin/env bash
# Fills the demo empresa with a month of history so a first look at the panel is not empty:
# its settings and FAQ, the sample hardware catalog, three customers, 40 sales over the last 30
# days (two annulled, three products left with low stock) and one chat.
#   scripts/seed-demo.sh URL EMAIL PASSWORD CONNECTION
# Everything goes through the public HTTP API with the admin's token, except one SQL statement
# that moves the sales (and the customers they belong to) back to the days they are meant for:
# the API stamps every write with the current time. An empresa that already has sales is left as
# it is, so running this twice adds nothing.
source "$(dirname "$0")/lib.sh"

URL="${1:?falta la URL del Api}"
EMAIL="${2:?falta el e-mail del admin}"
PASSWORD="${3:?falta la contraseña del admin}"
CONNECTION="${4:?falta la cadena de conexión de PostgreSQL}"
CATALOG="$ROOT/scripts/demo/catalogo.csv"
UUID='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

started_ms=$(( $(date +%s%N) / 1000000 ))
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Requests go in batches, one curl process and connection per batch (forks are what costs here):
# `queue` adds a request and leaves its number in $last, `send` runs the batch and stops the
# script unless every request got the status it expected; `read_answer N` puts answer N in $body.
auth=()
queued=()
described=()
count=0
in_batch=0
last=0
queue() { # queue STATUS METHOD PATH [curl arguments...]
  local expected="$1" method="$2" path="$3"
  shift 3
  queued+=(--next -X "$method" "$URL$path" "${auth[@]}" "$@" -o "$work/$count" -w "$count %{http_code} $expected\n")
  described[$count]="$method $path"
  last=$count
  count=$((count + 1))
  in_batch=$((in_batch + 1))
}
queue_json() { queue "$1" "$2" "$3" -H 'content-type: application/json' --data-binary "$4"; }
send() { # send [curl options], e.g. --parallel to let the batch's requests overlap
  local n status expected answered=0 failed=0
  curl --no-progress-meter "$@" "${queued[@]:1}" >"$work/statuses" || true
  while read -r n status expected; do
    answered=$((answered + 1))
    if [ "$status" != "$expected" ]; then
      read_answer "$n"
      log "datos de demostración: ${described[$n]} respondió $status (se esperaba $expected): ${body:0:400}"
      failed=1
    fi
  done <"$work/statuses"
  [ "$answered" -eq "$in_batch" ] || failed=1
  queued=()
  in_batch=0
  [ "$failed" -eq 0 ] || { log "datos de demostración: se detiene sin terminar (mira los registros del Api)"; exit 1; }
}
body=""
read_answer() { body=""; [ -f "$work/$1" ] && IFS= read -r -d '' body <"$work/$1" || true; }

# The password and the token reach curl through files (in the private mktemp folder), not its command line.
printf '{"email":"%s","password":"%s"}' "$EMAIL" "$PASSWORD" >"$work/login.json"
queue 200 POST /auth/login -H 'content-type: application/json' --data-binary "@$work/login.json"
send
read_answer "$last"
[[ "$body" =~ \"access_token\":\"([^\"]+)\" ]] || { log "datos de demostración: el inicio de sesión no devolvió un token"; exit 1; }
printf 'authorization: Bearer %s\n' "${BASH_REMATCH[1]}" >"$work/authorization"
auth=(-H "@$work/authorization")
[[ "$body" =~ \"empresa_id\":\"($UUID)\" ]]
empresa_id="${BASH_REMATCH[1]}"

queue 200 GET '/ventas?tamano=1'
send
read_answer "$last"
if [[ "$body" != *'"total":0,'* ]]; then
  log "la empresa demo ya tiene ventas; no se agregan datos de demostración"
  exit 0
fi

# In this order: cultura decides how the CSV's numbers and phones without +57 are read.
queue_json 200 PUT /empresa '{
  "cultura": "es-CO", "moneda": "COP", "zona_horaria": "America/Bogota",
  "tono": "amigable", "nombre_agente": "Tomás",
  "instrucciones": "Atiende como el vendedor de mostrador de una ferretería de barrio: claro, breve y sin tecnicismos. Si el cliente no sabe qué necesita, pregúntale para qué trabajo es.",
  "preguntas_frecuentes": [
    {"pregunta": "¿Hacen domicilios?", "respuesta": "Sí, hacemos domicilios en Bogotá de lunes a sábado. El envío cuesta $8.000 y es gratis en compras desde $150.000."},
    {"pregunta": "¿Cuál es el horario de atención?", "respuesta": "De lunes a viernes de 7:00 a. m. a 6:00 p. m., y los sábados de 8:00 a. m. a 2:00 p. m."},
    {"pregunta": "¿Qué medios de pago reciben?", "respuesta": "Efectivo, Nequi, Daviplata, transferencia a Bancolombia y tarjetas débito y crédito."},
    {"pregunta": "¿Las herramientas tienen garantía?", "respuesta": "Las herramientas eléctricas tienen un año de garantía del fabricante presentando la factura."}
  ]}'
queue 200 POST '/productos/importar?modo=reemplazar' -H 'content-type: text/csv' --data-binary "@$CATALOG"
queue 200 GET '/productos?tamano=500'
products_answer=$last
declare -A customer_answer
queue_json 201 POST /clientes '{"nombre": "María Fernanda Gómez", "telefono": "310 555 0101",
  "email": "maria.gomez@example.com", "direccion": "Calle 45 # 12-30, Bogotá"}'
customer_answer[C1]=$last
queue_json 201 POST /clientes '{"nombre": "Carlos Andrés Rodríguez", "telefono": "315 555 0202",
  "email": "carlos.rodriguez@example.com", "direccion": "Carrera 7 # 80-15, Bogotá"}'
customer_answer[C2]=$last
queue_json 201 POST /clientes '{"nombre": "Construcciones El Roble S.A.S.", "telefono": "320 555 0303",
  "documento": "NIT 900123456-7", "direccion": "Avenida Caracas # 53-20, Bogotá", "notas": "Cliente mayorista: obra en Chapinero."}'
customer_answer[C3]=$last
send

declare -A product_id customer_id
read_answer "$products_answer"
rest="$body"
while [[ "$rest" =~ \"id\":\"($UUID)\",\"sku\":\"([^\"]+)\" ]]; do
  product_id["${BASH_REMATCH[2]}"]="${BASH_REMATCH[1]}"
  rest="${rest#*"${BASH_REMATCH[0]}"}"
done
[ "${#product_id[@]}" -eq 40 ] || { log "datos de demostración: el catálogo importado tiene ${#product_id[@]} productos, se esperaban 40"; exit 1; }
for client in "${!customer_answer[@]}"; do
  read_answer "${customer_answer[$client]}"
  [[ "$body" =~ ^\{\"id\":\"($UUID)\" ]]
  customer_id[$client]="${BASH_REMATCH[1]}"
done

# One sale a line: days ago, local time (`ahora`: left at the time it is placed), canal, customer
# (`-`: none), estado, items as sku:cantidad. Sierra circular (FER-004), sanitario (FER-022) and
# carretilla (FER-040) end with 1, 1 and 2 units: the low stock the panel should show.
SALES_PLAN='
29 09:15 api      -  confirmada FER-015:4 FER-016:2
29 16:40 whatsapp C1 confirmada FER-011:1 FER-013:1 FER-014:2
28 11:05 api      -  confirmada FER-005:1
27 10:30 api      C3 confirmada FER-017:10 FER-015:6
27 17:20 whatsapp -  confirmada FER-026:4
26 12:10 api      -  confirmada FER-020:3 FER-018:2
25 09:50 whatsapp C2 confirmada FER-001:1
23 15:35 api      -  confirmada FER-029:2 FER-030:2
22 18:05 whatsapp -  confirmada FER-036:2
21 11:45 api      C3 confirmada FER-004:1 FER-034:2
20 14:20 api      -  anulada    FER-024:3 FER-025:2
20 19:10 whatsapp C1 confirmada FER-012:1 FER-014:1
19 16:10 api      -  confirmada FER-032:1
18 10:55 api      -  confirmada FER-022:1 FER-037:1
16 13:40 whatsapp -  confirmada FER-038:1
15 11:20 api      C2 confirmada FER-007:1 FER-008:1 FER-006:1
14 17:45 api      -  confirmada FER-026:6
13 09:05 whatsapp -  confirmada FER-040:1
13 15:30 api      C3 confirmada FER-015:10 FER-016:4 FER-039:1
13 18:40 api      -  confirmada FER-020:1 FER-036:1
12 12:15 api      -  confirmada FER-028:1
11 10:40 whatsapp C1 confirmada FER-011:2 FER-013:1
09 11:00 api      -  anulada    FER-031:1 FER-035:1
09 16:25 api      -  confirmada FER-033:1
08 14:50 whatsapp -  confirmada FER-031:2 FER-029:1
07 10:15 api      C3 confirmada FER-004:2
07 17:00 api      -  confirmada FER-035:2 FER-034:1
06 09:40 whatsapp C2 confirmada FER-021:1 FER-019:2
05 12:30 api      -  confirmada FER-005:2 FER-009:1
05 18:20 whatsapp -  confirmada FER-026:3
04 11:10 api      -  confirmada FER-040:2
04 15:55 api      C1 confirmada FER-036:1 FER-014:1
03 10:20 whatsapp -  confirmada FER-027:1
03 16:45 api      -  confirmada FER-018:3 FER-037:1
02 09:25 api      C3 confirmada FER-023:1 FER-024:4 FER-025:4
02 14:10 whatsapp -  confirmada FER-022:1
01 11:35 api      -  confirmada FER-001:1 FER-029:1
01 17:50 whatsapp C2 confirmada FER-012:2
00 ahora api      -  confirmada FER-020:2 FER-026:2
00 ahora whatsapp -  confirmada FER-005:1
'

# The sales of the plan overlap (the TenantGrain writes them in groups); none can run short.
sale_answers=()
sale_plans=()
while read -r days at canal client estado items; do
  [ -n "$days" ] || continue
  lines=""
  for item in $items; do
    printf -v lines '%s{"producto_id":"%s","cantidad":%d},' "$lines" "${product_id[${item%%:*}]}" "${item##*:}"
  done
  client_field=""
  [ "$client" = "-" ] || printf -v client_field '"cliente_id":"%s",' "${customer_id[$client]}"
  printf -v sale '{%s"canal":"%s","items":[%s]}' "$client_field" "$canal" "${lines%,}"
  queue_json 201 POST /ventas "$sale"
  sale_answers+=("$last")
  sale_plans+=("$((10#$days)) $at $estado")
done <<<"$SALES_PLAN"
send --parallel --parallel-max 8

backdate=""
moving=0
annulled=0
for i in "${!sale_answers[@]}"; do
  read_answer "${sale_answers[$i]}"
  [[ "$body" =~ ^\{\"id\":\"($UUID)\" ]]
  sale_id="${BASH_REMATCH[1]}"
  read -r days at estado <<<"${sale_plans[$i]}"
  if [ "$estado" = "anulada" ]; then
    queue 200 POST "/ventas/$sale_id/anular"
    annulled=$((annulled + 1))
  fi
  if [ "$at" != "ahora" ]; then
    printf -v backdate '%s{"venta_id":"%s","dias":%d,"hora":"%s"},' "$backdate" "$sale_id" "$days" "$at"
    moving=$((moving + 1))
  fi
done
# A short chat so Conversaciones has one (the offline agent: the same answer on every machine).
queue_json 200 POST /chat '{"mensaje": "hola", "llm": "offline"}'
greeting_answer=$last
send

# Orders, their audit rows and historial (venta/crear at the sale, venta/anular three hours later) and the
# customers (created the day before the first sale) are moved to the empresa's local days. Nothing
# in a silo keeps these times: sales and customers are read from PostgreSQL on every request.
# Products and the empresa keep today's times (the TenantGrain and EmpresaGrain hold them in memory).
BACKDATE_SQL=$(cat <<'SQL'
WITH plan AS (
    SELECT p.venta_id, ((timezone(t.time_zone, now())::date - p.dias) + p.hora) AT TIME ZONE t.time_zone AS sold_at
      FROM jsonb_to_recordset(:'plan'::jsonb) AS p(venta_id uuid, dias integer, hora time)
      JOIN tenants t ON t.id = :'empresa'::uuid
), sales AS (
    UPDATE orders o
       SET created_at = p.sold_at,
           annulled_at = CASE WHEN o.annulled_at IS NULL THEN NULL ELSE p.sold_at + interval '3 hours' END
      FROM plan p
     WHERE o.id = p.venta_id AND o.tenant_id = :'empresa'::uuid
    RETURNING o.id, o.created_at, o.annulled_at
), sales_audit AS (
    UPDATE audit_log a
       SET created_at = CASE a.action WHEN 'anular' THEN s.annulled_at ELSE s.created_at END
      FROM sales s
     WHERE a.tenant_id = :'empresa'::uuid AND a.entity = 'venta' AND a.entity_id = s.id::text
       AND a.action IN ('crear', 'anular')
    RETURNING a.id
), sales_history AS (
    UPDATE order_status_history h
       SET created_at = CASE h.to_status WHEN 'anulada' THEN s.annulled_at ELSE s.created_at END
      FROM sales s
     WHERE h.tenant_id = :'empresa'::uuid AND h.order_id = s.id
    RETURNING h.id
), client_times AS (
    -- The customers keep the minutes between them, a day before the first sale.
    SELECT c.id, f.at - interval '1 day' + (c.created_at - min(c.created_at) OVER ()) AS at
      FROM customers c CROSS JOIN (SELECT min(sold_at) AS at FROM plan) f
     WHERE c.tenant_id = :'empresa'::uuid
), clients AS (
    UPDATE customers c
       SET created_at = k.at, updated_at = k.at
      FROM client_times k
     WHERE c.id = k.id
    RETURNING c.id, c.created_at
), clients_audit AS (
    UPDATE audit_log a
       SET created_at = k.created_at
      FROM clients k
     WHERE a.tenant_id = :'empresa'::uuid AND a.entity = 'cliente' AND a.entity_id = k.id::text AND a.action = 'crear'
    RETURNING a.id
)
SELECT (SELECT count(*) FROM sales) || ' ' || (SELECT count(*) FROM sales_audit) || ' ' || (SELECT count(*) FROM clients);
SQL
)
moved="$(psql "$(pg_conninfo "$CONNECTION")" -X -v ON_ERROR_STOP=1 -qAt -v plan="[${backdate%,}]" -v empresa="$empresa_id" <<<"$BACKDATE_SQL")"
read -r moved_sales moved_audit moved_clients <<<"$moved"
[ "$moved_sales" = "$moving" ] || { log "datos de demostración: se movieron $moved_sales ventas de $moving"; exit 1; }

read_answer "$greeting_answer"
[[ "$body" =~ \"conversacion_id\":\"($UUID)\" ]]
queue_json 200 POST /chat "$(printf '{"mensaje": "¿tienen martillos?", "llm": "offline", "conversacion_id": "%s"}' "${BASH_REMATCH[1]}")"
send

elapsed_ms=$(( $(date +%s%N) / 1000000 - started_ms ))
log "datos de demostración listos en $(( elapsed_ms / 1000 )).$(printf '%03d' $(( elapsed_ms % 1000 ))) s:" \
  "${#product_id[@]} productos, $moved_clients clientes, ${#sale_answers[@]} ventas ($annulled anuladas;" \
  "$moved_sales repartidas en los últimos 30 días, con $moved_audit registros de auditoría), 1 conversación"
