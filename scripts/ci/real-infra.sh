#!/usr/bin/env bash
# A real PostgreSQL and a real MQTT broker (Mosquitto) for stage 12's real-infrastructure test,
# a NATS server with JetStream (an event log) and its MQTT listener, a Redis (the shared cache
# and rate limit), and nginx for its test of deploy/nginx.conf.
#
#   eval "$(scripts/ci/real-infra.sh)"
#
# Installs Debian's `postgresql`, `mosquitto`, `nats-server`, `redis-server` and `nginx-light` when missing
# (apt-get, as root), starts the PostgreSQL cluster, makes a role and a database for the test,
# runs a Mosquitto of its own on a port of its own (MQTT 3.1.1 and 5, anonymous, persistence
# on), a nats-server of its own (JetStream on disk, and its MQTT listener) and a redis-server
# of its own (no persistence: it holds a cache).
# Running it again changes nothing that is already there.
#
# Its only output on stdout is five lines for eval:
#   export TEST_DATABASE_URL=postgres://shop:shop@127.0.0.1:5432/shop
#   export TEST_BROKER_URL=mqtt://127.0.0.1:18830
#   export TEST_NATS_URL=nats://127.0.0.1:14222
#   export TEST_NATS_MQTT_URL=mqtt://127.0.0.1:18831
#   export TEST_REDIS_URL=redis://127.0.0.1:16379
# Everything else goes to stderr. Without root or apt-get it says why and prints nothing, so
# the test reports itself skipped; on a Debian machine as root, a failure stops CI.
set -euo pipefail

say() { echo "real-infra: $*" >&2; }

ROLE=${REAL_INFRA_ROLE:-shop}
PASSWORD=${REAL_INFRA_PASSWORD:-shop}
DATABASE=${REAL_INFRA_DATABASE:-shop}
MQTT_PORT=${REAL_INFRA_MQTT_PORT:-18830}
MQTT_DIR=${REAL_INFRA_MQTT_DIR:-/var/lib/shop-mosquitto}
NATS_PORT=${REAL_INFRA_NATS_PORT:-14222}
NATS_MQTT_PORT=${REAL_INFRA_NATS_MQTT_PORT:-18831}
NATS_DIR=${REAL_INFRA_NATS_DIR:-/var/lib/shop-nats}
REDIS_PORT=${REAL_INFRA_REDIS_PORT:-16379}
REDIS_DIR=${REAL_INFRA_REDIS_DIR:-/var/lib/shop-redis}

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  say "needs root and apt-get (Debian or Ubuntu); not set up, so stage 12's real-infrastructure test will be skipped"
  exit 0
fi

# --- install what is missing --------------------------------------------------------------
missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${missing[@]}" >&2
fi
# nginx only serves one test, which reports itself skipped without it: its install may fail
# (its package starts it on port 80, which may be taken) without stopping CI.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  say "installing nginx-light"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get install -y -qq nginx-light >&2 || { apt-get update -qq >&2 && apt-get install -y -qq nginx-light >&2; }; }; then
    say "nginx-light could not be installed; stage 12's nginx test will be skipped"
  fi
fi

# --- PostgreSQL ---------------------------------------------------------------------------
# The newest cluster Debian made (apt-get install postgresql creates "main"); started if down.
read -r version cluster port status < <(pg_lsclusters --no-header | sort -V | tail -n 1 | awk '{print $1, $2, $3, $4}')
if [ -z "${version:-}" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  say "no cluster yet; creating $version/main"
  pg_createcluster "$version" main >&2
  read -r version cluster port status < <(pg_lsclusters --no-header | sort -V | tail -n 1 | awk '{print $1, $2, $3, $4}')
fi
if [ "$status" != online ]; then
  say "starting PostgreSQL $version/$cluster on port $port"
  pg_ctlcluster "$version" "$cluster" start >&2 || service postgresql start >&2
fi
for _ in $(seq 1 50); do
  runuser -u postgres -- pg_isready -q -p "$port" && break
  sleep 0.2
done
runuser -u postgres -- pg_isready -q -p "$port" || { say "PostgreSQL $version/$cluster did not come up"; exit 1; }

psql_admin() { runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"; }
# The role may create databases: the test makes a fresh one per run and drops it afterwards.
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]; then
  say "creating role $ROLE"
  psql_admin -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'" >&2
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]; then
  say "creating database $DATABASE owned by $ROLE"
  psql_admin -c "CREATE DATABASE $DATABASE OWNER $ROLE" >&2
fi
# A role per service that owns data (stage 12's deploy/postgres/roles.sql), each with the
# password $PASSWORD here, and their rights in $DATABASE (grants.sql, as its owner). The
# isolation test runs grants.sql again in each fresh database it makes. psql reads them from
# stdin: it runs as postgres, which may not be allowed into the checkout (a clone under /root).
STAGE12=$(cd "$(dirname "$0")/../../examples/12-running-it-for-real/deploy/postgres" && pwd)
psql_admin -v orders_password="$PASSWORD" -v payments_password="$PASSWORD" -v inventory_password="$PASSWORD" \
  -v notifications_password="$PASSWORD" -f - < "$STAGE12/roles.sql" >&2
runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA -d "$DATABASE" -c "SET ROLE $ROLE" -f - < "$STAGE12/grants.sql" >&2

# --- Mosquitto ----------------------------------------------------------------------------
# Not Debian's service (it may not be allowed to start in a container, and its default
# config listens on 1883 for anyone's use): one of our own, on MQTT_PORT, as a daemon.
mqtt_up() { (exec 3<>"/dev/tcp/127.0.0.1/$MQTT_PORT") 2>/dev/null; }
if ! mqtt_up; then
  mkdir -p "$MQTT_DIR"
  chown mosquitto: "$MQTT_DIR" 2>/dev/null || true
  cat > "$MQTT_DIR/mosquitto.conf" <<EOF
# written by scripts/ci/real-infra.sh
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
persistence true
persistence_location $MQTT_DIR/
autosave_interval 5
log_dest file $MQTT_DIR/mosquitto.log
pid_file $MQTT_DIR/mosquitto.pid
user mosquitto
EOF
  say "starting Mosquitto on 127.0.0.1:$MQTT_PORT (config $MQTT_DIR/mosquitto.conf)"
  "$(command -v mosquitto || echo /usr/sbin/mosquitto)" -c "$MQTT_DIR/mosquitto.conf" -d
  for _ in $(seq 1 50); do mqtt_up && break; sleep 0.1; done
  mqtt_up || { say "Mosquitto did not come up; see $MQTT_DIR/mosquitto.log"; exit 1; }
fi

# --- NATS (JetStream and MQTT) ------------------------------------------------------------
# A nats-server of our own as well, as for Mosquitto. JetStream keeps its streams in NATS_DIR;
# the MQTT listener needs JetStream (it keeps MQTT sessions in streams) and a server_name.
nats_up() { (exec 3<>"/dev/tcp/127.0.0.1/$NATS_PORT") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$NATS_MQTT_PORT") 2>/dev/null; }
if ! nats_up; then
  mkdir -p "$NATS_DIR"
  cat > "$NATS_DIR/nats.conf" <<EOF
# written by scripts/ci/real-infra.sh
server_name: shop-nats
listen: 127.0.0.1:$NATS_PORT
jetstream {
  store_dir: "$NATS_DIR"
  max_file_store: 1GB
  max_memory_store: 64MB
}
mqtt {
  listen: 127.0.0.1:$NATS_MQTT_PORT
}
log_file: "$NATS_DIR/nats.log"
pid_file: "$NATS_DIR/nats.pid"
EOF
  say "starting nats-server on 127.0.0.1:$NATS_PORT (JetStream) and 127.0.0.1:$NATS_MQTT_PORT (MQTT); config $NATS_DIR/nats.conf"
  # nats-server has no daemon mode: started in the background, in a session of its own
  setsid "$(command -v nats-server)" -c "$NATS_DIR/nats.conf" </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 50); do nats_up && break; sleep 0.1; done
  nats_up || { say "nats-server did not come up; see $NATS_DIR/nats.log"; exit 1; }
fi

# --- Redis --------------------------------------------------------------------------------
# Not Debian's service either: a redis-server of our own on REDIS_PORT, as a daemon, without
# persistence (it holds a cache and rate-limit buckets, both fine to lose).
redis_up() { (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null; }
if ! redis_up; then
  mkdir -p "$REDIS_DIR"
  cat > "$REDIS_DIR/redis.conf" <<EOF
# written by scripts/ci/real-infra.sh
bind 127.0.0.1
port $REDIS_PORT
daemonize yes
save ""
appendonly no
dir $REDIS_DIR
logfile $REDIS_DIR/redis.log
pidfile $REDIS_DIR/redis.pid
EOF
  say "starting redis-server on 127.0.0.1:$REDIS_PORT (config $REDIS_DIR/redis.conf)"
  "$(command -v redis-server)" "$REDIS_DIR/redis.conf" >&2
  for _ in $(seq 1 50); do redis_up && break; sleep 0.1; done
  redis_up || { say "redis-server did not come up; see $REDIS_DIR/redis.log"; exit 1; }
fi

say "PostgreSQL $version on 127.0.0.1:$port (role $ROLE, database $DATABASE); Mosquitto on 127.0.0.1:$MQTT_PORT; NATS on 127.0.0.1:$NATS_PORT (MQTT :$NATS_MQTT_PORT); Redis on 127.0.0.1:$REDIS_PORT"
echo "export TEST_DATABASE_URL=postgres://$ROLE:$PASSWORD@127.0.0.1:$port/$DATABASE"
echo "export TEST_BROKER_URL=mqtt://127.0.0.1:$MQTT_PORT"
echo "export TEST_NATS_URL=nats://127.0.0.1:$NATS_PORT"
echo "export TEST_NATS_MQTT_URL=mqtt://127.0.0.1:$NATS_MQTT_PORT"
echo "export TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
