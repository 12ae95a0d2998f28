#!/usr/bin/env bash
# Shared by run.sh and test.sh: installs what a fresh Debian machine lacks and runs a private
# PostgreSQL as the postgres user, listening on loopback only, with its data under .data/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# FAISS searches run one OpenMP thread each; idle workers must not spin on the cores.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

apt_install() {
  local missing=("$@")
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "instalando paquetes: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Debian would otherwise create and start its own 'main' cluster; we run our own.
  mkdir -p /etc/postgresql-common
  if [ ! -f /etc/postgresql-common/createcluster.conf ]; then
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
  fi
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

pg_bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

ensure_prerequisites() {
  local need=()
  if [ -z "$(pg_bin_dir)" ] || [ ! -x "$(pg_bin_dir)/pg_ctl" ]; then need+=(postgresql); fi
  command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v runuser >/dev/null 2>&1 || need+=(util-linux)
  # FAISS (static library + headers) and a C++ compiler for our shim, native/faiss.
  [ -f /usr/include/faiss/Index.h ] || need+=(libfaiss-dev)
  command -v g++ >/dev/null 2>&1 || need+=(g++)
  apt_install "${need[@]}"
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  command -v dotnet >/dev/null 2>&1 || { log "falta el SDK de .NET 10 (dotnet) en el PATH"; exit 1; }
}

# The panel's browser tests drive Debian's chromium (Playwright cannot download a browser here).
ensure_browser() {
  local need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
  apt_install "${need[@]}"
}

# pg_start DIR PORT: initialises DIR on first use, starts the server, creates role and database
# 'agentevendedor' owned by that role, and prints the connection string.
pg_start() {
  local dir="$1" port="$2" bin
  bin="$(pg_bin_dir)"
  mkdir -p "$dir"
  chown postgres:postgres "$dir"
  chmod 700 "$dir"
  local data="$dir/data" pwfile="$dir/app.password"
  if [ ! -f "$data/PG_VERSION" ]; then
    log "creando el clúster de PostgreSQL en $dir"
    runuser -u postgres -- "$bin/initdb" -D "$data" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$pwfile"
    chown postgres:postgres "$pwfile"
    chmod 600 "$pwfile"
  fi
  if ! runuser -u postgres -- "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c timezone=UTC -c max_connections=300 -c fsync=${AV_PG_FSYNC:-on}" \
      >/dev/null || { tail -n 30 "$dir/postgres.log" >&2; exit 1; }
  fi
  local password
  password="$(cat "$pwfile")"
  runuser -u postgres -- psql -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt >/dev/null <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agentevendedor') THEN
    CREATE ROLE agentevendedor LOGIN CREATEDB PASSWORD '$password';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE agentevendedor OWNER agentevendedor'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'agentevendedor')\gexec
SQL
  echo "Host=127.0.0.1;Port=$port;Database=agentevendedor;Username=agentevendedor;Password=$password"
}

# pg_conninfo NPGSQL_CONNECTION_STRING: the same connection as psql reads it (the keys pg_start writes).
pg_conninfo() {
  local part key value out=()
  local IFS=';'
  for part in $1; do
    key="${part%%=*}"
    value="${part#*=}"
    case "${key,,}" in
      host) out+=("host=$value") ;;
      port) out+=("port=$value") ;;
      database) out+=("dbname=$value") ;;
      username) out+=("user=$value") ;;
      password) out+=("password=$value") ;;
    esac
  done
  IFS=' '
  echo "${out[*]}"
}

# free_port FROM: the first port from FROM up that nothing listens on (loopback).
free_port() {
  local port="$1"
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
  done
  echo "$port"
}

# pg_stop DIR
pg_stop() {
  local dir="$1" bin
  bin="$(pg_bin_dir)"
  [ -f "$dir/data/PG_VERSION" ] || return 0
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}
