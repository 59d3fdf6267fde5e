#!/usr/bin/env bash
# Runs the Arcana example WAR on Payara Micro in the background, the same way for a user and for the build
# (arcana-it-payara runs "start" before its ITs and "stop" after them).
#
#   payara.sh start [options]   start Payara Micro in the background, wait until GET /api/ping answers {"ok":true}
#   payara.sh stop  [options]   stop the server started from the same work directory and wait until it has exited
#   payara.sh status [options]  say whether that server is running
#
# Options (each also as an environment variable; options win):
#   --micro FILE      PAYARA_MICRO_JAR      the payara-micro jar (fish.payara.extras:payara-micro:6.2025.x, Java 17)
#   --pgjdbc FILE     PGJDBC_JAR            the PostgreSQL JDBC driver jar (org.postgresql:postgresql), loaded with --addlibs
#   --war FILE        ARCANA_WAR            the application WAR (arcana-example.war), deployed at the context root /
#   --port N          ARCANA_HTTP_PORT      HTTP port (default 8080)
#   --db-port N       ARCANA_EXAMPLE_DB_PORT  port of the example's embedded PostgreSQL (default 15432); unused when
#                                           ARCANA_DB_URL is set (the example then starts no database)
#   --dir DIR         ARCANA_PAYARA_DIR     work directory (default ./payara-work): pid file payara.pid, log
#                                           payara.log, Payara's root directory rootdir/ (recreated at every start:
#                                           a reused root directory keeps the previous deployment)
#   --timeout SEC     ARCANA_START_TIMEOUT  how long "start" waits for the application (default 120)
#   -Dkey=value                             more system properties for the server JVM (MicroProfile Config keys of
#                                           the application, e.g. -Darcana.detector=wal); also PAYARA_JAVA_OPTS
# External database: ARCANA_DB_URL, ARCANA_DB_USER, ARCANA_DB_PASSWORD (default user/password postgres) go to the pool
# of jdbc/arcana (post-boot-commands.asadmin next to this script) and, through the environment, to the application.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
COMMAND="${1:-}"
[ $# -gt 0 ] && shift

MICRO="${PAYARA_MICRO_JAR:-}"
PGJDBC="${PGJDBC_JAR:-}"
WAR="${ARCANA_WAR:-}"
HTTP_PORT="${ARCANA_HTTP_PORT:-8080}"
DB_PORT="${ARCANA_EXAMPLE_DB_PORT:-15432}"
WORK="${ARCANA_PAYARA_DIR:-$PWD/payara-work}"
TIMEOUT="${ARCANA_START_TIMEOUT:-120}"
read -r -a JAVA_OPTS <<< "${PAYARA_JAVA_OPTS:-}"

usage() {
  sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --micro) MICRO="$2"; shift 2 ;;
    --pgjdbc) PGJDBC="$2"; shift 2 ;;
    --war) WAR="$2"; shift 2 ;;
    --port) HTTP_PORT="$2"; shift 2 ;;
    --db-port) DB_PORT="$2"; shift 2 ;;
    --dir) WORK="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    -D*) JAVA_OPTS+=("$1"); shift ;;
    *) echo "payara.sh: unknown argument: $1" >&2; usage ;;
  esac
done

WORK="$(realpath -m "$WORK")"
PID_FILE="$WORK/payara.pid"
LOG="$WORK/payara.log"
PING="http://localhost:$HTTP_PORT/api/ping"

# The Payara Micro JVM of this work directory: the pid file's process if it is that server, else (pid file gone, e.g.
# "mvn clean" while a server was running) the java process started with this work directory's --rootdir.
running_pid() {
  local pid marker="--rootdir $WORK/rootdir "
  if [ -f "$PID_FILE" ]; then
    pid="$(cat "$PID_FILE")"
    if [ -n "$pid" ] && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"; then
      echo "$pid"
      return 0
    fi
  fi
  for pid in /proc/[0-9]*; do
    if [ "$(cat "$pid/comm" 2>/dev/null)" = java ] && tr '\0' ' ' < "$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"; then
      echo "${pid#/proc/}"
      return 0
    fi
  done
  return 1
}

require_file() {
  if [ -z "$2" ] || [ ! -f "$2" ]; then
    echo "payara.sh: $1 not found: '${2}' (see payara.sh --help)" >&2
    exit 2
  fi
}

# Payara's console log has ANSI colours; print it without them.
plain() {
  sed 's/\x1b\[[0-9;]*m//g'
}

log_tail() {
  echo "---- errors in $LOG ----" >&2
  plain < "$LOG" | grep -E 'SEVERE|Exception while loading the app|failed' | cut -c1-1000 | head -n 20 >&2 || true
  echo "---- last lines of $LOG ----" >&2
  tail -n 60 "$LOG" | plain >&2 || true
  echo "---- end of $LOG ----" >&2
}

stop() {
  local pid deadline
  if ! pid="$(running_pid)"; then
    echo "payara.sh: no Payara Micro running from $WORK"
    rm -f "$PID_FILE"
    return 0
  fi
  echo "payara.sh: stopping Payara Micro (pid $pid)"
  # TERM runs Payara's shutdown hook: the application is undeployed, so the example stops its embedded PostgreSQL.
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "payara.sh: pid $pid still running after 60 s, killing its process group" >&2
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.5
  done
  rm -f "$PID_FILE"
  echo "payara.sh: stopped"
}

start() {
  local pid deadline body java
  require_file "payara-micro jar (--micro / PAYARA_MICRO_JAR)" "$MICRO"
  require_file "PostgreSQL JDBC driver jar (--pgjdbc / PGJDBC_JAR)" "$PGJDBC"
  require_file "WAR (--war / ARCANA_WAR)" "$WAR"
  if pid="$(running_pid)"; then
    echo "payara.sh: Payara Micro already running from $WORK (pid $pid): run 'payara.sh stop' first" >&2
    exit 1
  fi
  if curl -s -o /dev/null --max-time 2 "http://localhost:$HTTP_PORT/"; then
    echo "payara.sh: something already answers on port $HTTP_PORT" >&2
    exit 1
  fi

  # Payara substitutes ${...} in the post-boot command file before it parses the commands: the values end up in
  # create-jdbc-connection-pool's --property list, where a colon separates properties unless escaped.
  local db_url="${ARCANA_DB_URL:-jdbc:postgresql://localhost:$DB_PORT/postgres}"
  local db_user="${ARCANA_DB_USER:-postgres}" db_password="${ARCANA_DB_PASSWORD:-postgres}"
  mkdir -p "$WORK"
  rm -rf "$WORK/rootdir"
  : > "$LOG"
  java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  # setsid: the server outlives this script (and the Maven build step that runs it) in its own process group
  setsid "$java" \
    -Darcana.example.db.port="$DB_PORT" \
    -Darcana.payara.db.url="${db_url//:/\\:}" \
    -Darcana.payara.db.user="${db_user//:/\\:}" \
    -Darcana.payara.db.password="${db_password//:/\\:}" \
    ${JAVA_OPTS[@]+"${JAVA_OPTS[@]}"} \
    -jar "$MICRO" \
    --nohazelcast --disablephonehome \
    --port "$HTTP_PORT" \
    --addlibs "$PGJDBC" \
    --postbootcommandfile "$HERE/post-boot-commands.asadmin" \
    --deploy "$WAR" --contextroot / \
    --rootdir "$WORK/rootdir" \
    < /dev/null >> "$LOG" 2>&1 &
  pid=$!
  echo "$pid" > "$PID_FILE"
  echo "payara.sh: Payara Micro starting (pid $pid, port $HTTP_PORT, log $LOG); waiting up to $TIMEOUT s for $PING"

  deadline=$((SECONDS + TIMEOUT))
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "payara.sh: Payara Micro exited during start-up" >&2
      log_tail
      rm -f "$PID_FILE"
      exit 1
    fi
    body="$(curl -s --max-time 5 -w '\n%{http_code}' "$PING" 2>/dev/null || true)"
    if [ "${body##*$'\n'}" = "200" ] && [[ "${body%$'\n'*}" =~ \"ok\"[[:space:]]*:[[:space:]]*true ]]; then
      echo "payara.sh: up after $SECONDS s: $PING answers ${body%$'\n'*}"
      return 0
    fi
    if grep -q 'Exception while loading the app' "$LOG"; then
      echo "payara.sh: the application failed to deploy" >&2
      log_tail
      stop >&2
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      body="$(printf '%s' "${body:-none}" | tr '\n' ' ' | cut -c1-300)"
      echo "payara.sh: $PING did not answer 200 {\"ok\":true} within $TIMEOUT s (last answer: $body)" >&2
      log_tail
      stop >&2
      exit 1
    fi
    sleep 1
  done
}

case "$COMMAND" in
  start) start ;;
  stop) stop ;;
  status)
    if pid="$(running_pid)"; then echo "payara.sh: running (pid $pid, log $LOG)"; else echo "payara.sh: not running"; exit 3; fi ;;
  -h|--help|help|"") usage ;;
  *) echo "payara.sh: unknown command: $COMMAND" >&2; usage ;;
esac
