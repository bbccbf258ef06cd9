#!/usr/bin/env bash
# The race: loads Castgate and node-oidc-provider side by side on loopback with wrk, the same
# requests and the same settings for both, and prints one table per database (and appends it to
# bench/results.md): requests per second and 99th percentile latency of each scenario, the ratio,
# resident memory after the load and start time.
#
#   bench/race.sh [SECONDS per run, default 15] [ROUNDS, default 3]
#                 [--database sqlite|postgresql|both] [--warmup SECONDS, default 5] [--no-record]
#
# Scenarios: opaque (client_credentials, opaque access token), jwt-es256 and jwt-rs256
# (client_credentials, JWT access token), introspection (of one valid opaque token), discovery.
# Each run: wrk, 2 threads, 32 connections. In each round every scenario runs against both servers
# one after the other, Castgate first in odd rounds and node-oidc-provider first in even ones.
# The figures are the medians over the rounds.
#
# Needs wrk, curl, python3, Node.js with npm, and a JDK 21+ (found by bin/jdk.sh); the PostgreSQL
# part needs psql and a server on 127.0.0.1:5432 that trusts the user postgres. See bench/README.md.
#
# It starts every server itself and stops them by PID on exit, deletes its temporary files and
# databases, and talks to 127.0.0.1 only.
set -Eeuo pipefail
trap 'echo "race: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench="$root/bench"
threads=2
connections=32

usage() { sed -n '7,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,2\}//' >&2; exit 2; }
die() { echo "race: $*" >&2; exit 1; }
say() { echo "race: $*" >&2; }

duration=15
rounds=3
database=both
warmup=5
record=1
positional=()
while [ $# -gt 0 ]; do
    case "$1" in
        --database) [ $# -ge 2 ] || usage; database=$2; shift 2 ;;
        --database=*) database=${1#*=}; shift ;;
        --warmup) [ $# -ge 2 ] || usage; warmup=$2; shift 2 ;;
        --warmup=*) warmup=${1#*=}; shift ;;
        --no-record) record=0; shift ;;
        -h|--help) usage ;;
        -*) echo "race: unknown option $1" >&2; usage ;;
        *) positional+=("$1"); shift ;;
    esac
done
[ ${#positional[@]} -le 2 ] || usage
[ ${#positional[@]} -ge 1 ] && duration=${positional[0]}
[ ${#positional[@]} -ge 2 ] && rounds=${positional[1]}
[[ "$duration" =~ ^[1-9][0-9]*$ && "$duration" -le 600 ]] || die "seconds per run must be 1 to 600, not '$duration'"
[[ "$rounds" =~ ^[1-9][0-9]*$ && "$rounds" -le 20 ]] || die "rounds must be 1 to 20, not '$rounds'"
[[ "$warmup" =~ ^[0-9]+$ && "$warmup" -le 60 ]] || die "warm-up must be 0 to 60 seconds, not '$warmup'"
case "$database" in
    sqlite) databases=(sqlite) ;;
    postgresql) databases=(postgresql) ;;
    both) databases=(sqlite postgresql) ;;
    *) die "--database is sqlite, postgresql or both, not '$database'" ;;
esac
arguments="$duration $rounds --database $database"
[ "$warmup" = 5 ] || arguments+=" --warmup $warmup"

command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
command -v curl >/dev/null || die "curl is needed (apt-get install curl)"
command -v python3 >/dev/null || die "python3 is needed (apt-get install python3)"
command -v node >/dev/null && command -v npm >/dev/null || die "Node.js and npm are needed (apt-get install nodejs npm)"
. "$root/bin/jdk.sh"

scenarios=(opaque jwt-es256 jwt-rs256 introspection discovery)
servers=(cg node)
declare -A server_name=([cg]=Castgate [node]=node-oidc-provider)

# ---- bookkeeping: every process and database this script made, undone on exit ----------------

work=$(mktemp -d "${TMPDIR:-/tmp}/castgate-race.XXXXXX")
pids=()
pg_databases=()
pg_admin=(psql -h 127.0.0.1 -p 5432 -U postgres -d "${CASTGATE_BENCH_PG_DB:-test}" -v ON_ERROR_STOP=1 -Atq)

stop_pid() {
    local pid=$1 i state=""
    if kill -TERM "$pid" 2>/dev/null; then
        for i in $(seq 1 300); do
            # A child that has ended stays a zombie (Z) until waited for.
            state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
            { [ -z "$state" ] || [ "$state" = Z ]; } && break
            sleep 0.1
        done
        if [ -n "$state" ] && [ "$state" != Z ]; then
            say "PID $pid did not stop within 30 s of SIGTERM; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
    local kept=() p
    for p in ${pids[@]+"${pids[@]}"}; do [ "$p" = "$pid" ] || kept+=("$p"); done
    pids=(${kept[@]+"${kept[@]}"})
}

drop_database() {
    timeout 30 "${pg_admin[@]}" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1 \
        || say "could not drop database $1"
    local kept=() d
    for d in ${pg_databases[@]+"${pg_databases[@]}"}; do [ "$d" = "$1" ] || kept+=("$d"); done
    pg_databases=(${kept[@]+"${kept[@]}"})
}

cleanup() {
    set +e
    trap - ERR
    local pid db
    for pid in ${pids[@]+"${pids[@]}"}; do stop_pid "$pid"; done
    for db in ${pg_databases[@]+"${pg_databases[@]}"}; do drop_database "$db"; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# Starts a server in the background and waits for the first 200 from URL, polling every 20 ms.
# The command must exec the server, so that its PID is the server's. Sets started_pid and
# started_ms (milliseconds from launch to that 200). When the server ends or does not answer
# 200 within LIMIT seconds, it says what it saw, stops the server and fails.
launch() { # URL LOG LIMIT_SECONDS COMMAND...
    local url=$1 log=$2 limit=$3
    shift 3
    local t0 code="" port
    t0=$(date +%s%N)
    "$@" >>"$log" 2>&1 &
    started_pid=$!
    pids+=("$started_pid")
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null || true)
        if [ "$code" = 200 ]; then
            started_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
            return 0
        fi
        if ! kill -0 "$started_pid" 2>/dev/null; then
            say "the server (PID $started_pid) ended before answering $url; its last lines:"
            break
        fi
        if [ $(( ($(date +%s%N) - t0) / 1000000000 )) -ge "$limit" ]; then
            port=${url#http://127.0.0.1:}
            port=${port%%/*}
            say "no 200 from $url within $limit s; the last answer was status $code; the sockets on port $port:"
            ss -tanp "( sport = :$port or dport = :$port )" 2>/dev/null | sed 's/^/    /' >&2 || true
            say "the server's (PID $started_pid) last lines:"
            break
        fi
        sleep 0.02
    done
    tail -n 20 "$log" | sed 's/^/    /' >&2
    stop_pid "$started_pid"
    return 1
}

new_port() { # cg|node: a free port for that server, not the other one's
    local port
    port=$(free_port)
    while [ "$port" = "${cg_port:-}" ] || [ "$port" = "${node_port:-}" ]; do port=$(free_port); done
    if [ "$1" = cg ]; then
        cg_port=$port
        cg_env=(CASTGATE_PORT="$cg_port" CASTGATE_HOST=127.0.0.1 CASTGATE_ISSUER="http://127.0.0.1:$cg_port"
                CASTGATE_DATABASE_URL="$database_url" CASTGATE_LOG_LEVEL=WARN)
    else
        node_port=$port
    fi
}

# Starts Castgate (bin/castgate serve) or node-oidc-provider, with one more try on other ports
# when a start fails; sets started_pid and started_ms.
start_server() { # cg|node LIMIT_SECONDS
    local attempt
    for attempt in 1 2; do
        if [ "$1" = cg ]; then
            launch "http://127.0.0.1:$cg_port/health/ready" "$work/$db-castgate.log" "$2" \
                env "${cg_env[@]}" "$root/bin/castgate" serve && return 0
        else
            launch "http://127.0.0.1:$node_port/.well-known/openid-configuration" "$work/$db-node.log" "$2" \
                env NODE_ENV=production BENCH_PORT="$node_port" BENCH_ISSUER="http://127.0.0.1:$node_port" \
                BENCH_KEYS="$work/$db-node-keys.json" BENCH_CLIENTS="$node_clients" node "$node_home/server.js" \
                && return 0
        fi
        [ "$attempt" = 1 ] && say "${server_name[$1]} did not start; trying once more, on another port"
        new_port "$1"
    done
    die "${server_name[$1]} did not start"
}

rss_mb() {
    awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# ---- Castgate ----------------------------------------------------------------------------------

cg_env=()
castgate() { timeout 300 env "${cg_env[@]}" "$root/bin/castgate" "$@"; }

rs256_supported() {
    # picocli answers --help of a command with required options on standard error, with status 2;
    # either way it lists the options. Read whole first: grep -q would end the pipe early.
    local help
    help=$(castgate client add --help 2>&1 || true)
    grep -q -- '--access-token-alg' <<<"$help"
}

# ---- node-oidc-provider ------------------------------------------------------------------------

node_version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["dependencies"]["oidc-provider"])' \
    "$bench/node-oidc-provider/package.json")
node_home="${XDG_CACHE_HOME:-$HOME/.cache}/castgate-bench/node-oidc-provider-$node_version"

install_node_provider() {
    if [ -d "$node_home/node_modules/oidc-provider" ] \
        && cmp -s "$bench/node-oidc-provider/package-lock.json" "$node_home/package-lock.json"; then
        :
    else
        say "installing node-oidc-provider $node_version into $node_home (once)"
        mkdir -p "$node_home"
        cp "$bench/node-oidc-provider/package.json" "$bench/node-oidc-provider/package-lock.json" "$node_home/"
        (cd "$node_home" && timeout 600 npm ci --omit=dev --no-audit --no-fund --loglevel=error) >&2 \
            || die "npm ci in $node_home failed"
    fi
    cp "$bench/node-oidc-provider/server.js" "$node_home/server.js"
}

hex40() { python3 -c 'import secrets; print(secrets.token_hex(20))'; }

# ---- one wrk run ---------------------------------------------------------------------------------

declare -A url auth body method skip
declare -A rps_runs p99_runs error_runs error_notes

# Prints "RPS P99_MS NON2XX SOCKET_ERRORS" for a wrk output file, or fails.
parse_wrk() {
    python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = re.search(r"^Requests/sec:\s+([0-9.]+)", text, re.M)
p99 = re.search(r"^\s*99(?:\.0+)?%\s+([0-9.]+)\s*(us|ms|s|m|h)\s*$", text, re.M)
non2xx = re.search(r"^\s*Non-2xx or 3xx responses:\s+(\d+)", text, re.M)
if not (rps and p99):
    sys.exit(1)
unit = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}[p99.group(2)]
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
socket_errors = sum(int(g) for g in sock.groups()) if sock else 0
print(rps.group(1), "%.3f" % (float(p99.group(1)) * unit), non2xx.group(1) if non2xx else 0, socket_errors)
PY
}

wrk_run() { # SERVER SCENARIO SECONDS OUTPUT
    local key="$1:$2"
    local target=${url[$key]}
    timeout $(( $3 + 60 )) wrk -t"$threads" -c"$connections" -d"${3}s" --timeout 10s --latency \
        -s "$bench/race.lua" "$target" -- "${method[$key]}" "${body[$key]:-}" "${auth[$key]:-}" >"$4" 2>&1 || true
}

# Introspection asks about a token issued just before the run (node-oidc-provider's in-memory
# store keeps the last 1000 entries, so a token from before the token runs would be gone).
fresh_token() { # SERVER
    curl -s --max-time 10 -X POST -H "Authorization: ${auth[$1:opaque]}" \
        -H 'Content-Type: application/x-www-form-urlencoded' --data "${body[$1:opaque]}" \
        "${url[$1:opaque]}" | json_field access_token
}

prepare_introspection() { # SERVER
    local token
    token=$(fresh_token "$1") || return 1
    body[$1:introspection]="token=$token"
}

measure() { # SERVER SCENARIO ROUND
    local key="$1:$2" out="$work/$db-$1-$2-$3.txt" figures r p n s
    [ -n "${skip[$key]:-}" ] && return 0
    if [ "$2" = introspection ]; then
        prepare_introspection "$1" || { error_runs[$key]=$(( ${error_runs[$key]:-0} + 1 )); return 0; }
    fi
    wrk_run "$1" "$2" "$duration" "$out"
    if ! figures=$(parse_wrk "$out"); then
        say "${server_name[$1]} $2 round $3: wrk's output could not be read:"
        sed 's/^/    /' "$out" >&2
        error_runs[$key]=$(( ${error_runs[$key]:-0} + 1 ))
        error_notes[$key]+="round $3: no figures; "
        return 0
    fi
    read -r r p n s <<<"$figures"
    rps_runs[$key]+="$r "
    p99_runs[$key]+="$p "
    if [ "$n" != 0 ] || [ "$s" != 0 ]; then
        error_runs[$key]=$(( ${error_runs[$key]:-0} + 1 ))
        error_notes[$key]+="round $3: $n non-2xx, $s socket errors; "
    fi
    printf 'race:   round %d  %-13s %-18s %10.0f rps  p99 %8.2f ms%s\n' "$3" "$2" "${server_name[$1]}" "$r" "$p" \
        "$([ "$n" != 0 ] || [ "$s" != 0 ] && echo "  ERRORS: $n non-2xx, $s socket")" >&2
}

# Sends each scenario's request once and checks the answer: a 200, the token's format and the
# JWT's alg. A scenario that fails its check is reported instead of measured.
check_scenario() { # SERVER SCENARIO
    local key="$1:$2" answer
    [ -n "${skip[$key]:-}" ] && return 0
    [ "$2" = introspection ] && { prepare_introspection "$1" || { skip[$key]="check failed: no token"; return 0; }; }
    local args=(-s --max-time 10 -w '\n%{http_code}' -X "${method[$key]}")
    [ -n "${auth[$key]:-}" ] && args+=(-H "Authorization: ${auth[$key]}")
    [ -n "${body[$key]:-}" ] && args+=(-H 'Content-Type: application/x-www-form-urlencoded' --data "${body[$key]}")
    answer=$(curl "${args[@]}" "${url[$key]}" || true)
    local problem
    problem=$(python3 - "$2" "$answer" <<'PY'
import base64, json, sys
scenario = sys.argv[1]
lines = sys.argv[2].rstrip("\n").rsplit("\n", 1)
if len(lines) != 2 or lines[1] != "200":
    print("status " + (lines[-1] if lines else "none")); sys.exit()
try:
    doc = json.loads(lines[0])
except ValueError:
    print("not JSON"); sys.exit()
def header(jwt):
    part = jwt.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
if scenario == "opaque":
    if doc.get("access_token", "").count(".") == 2:
        print("a JWT, not an opaque token")
elif scenario in ("jwt-es256", "jwt-rs256"):
    want = scenario[4:].upper()
    token = doc.get("access_token", "")
    if token.count(".") != 2:
        print("an opaque token, not a JWT")
    elif header(token).get("alg") != want:
        print("alg %s, not %s" % (header(token).get("alg"), want))
elif scenario == "introspection":
    if doc.get("active") is not True:
        print("token not active")
elif scenario == "discovery":
    if "issuer" not in doc:
        print("no issuer")
PY
)
    if [ -n "$problem" ]; then
        skip[$key]="check failed: $problem"
        say "${server_name[$1]} $2: check failed: $problem"
    fi
}

# ---- figures ---------------------------------------------------------------------------------------

# One markdown table: scenarios, then memory and start time.
table() {
    local s key
    {
        for s in "${scenarios[@]}"; do
            for key in "cg:$s" "node:$s"; do
                printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "${skip[$key]:-}" "${rps_runs[$key]:-}" \
                    "${p99_runs[$key]:-}" "${error_runs[$key]:-0}" "${error_notes[$key]:-}"
            done
        done
        printf 'rss\t%s\t%s\n' "$cg_rss" "$node_rss"
        printf 'start\t%s\t%s\t%s\t%s\n' "$cg_start" "$node_start" "$cg_first_start" "$node_first_start"
    } | python3 -c '
import statistics, sys
rows, extra = {}, {}
for line in sys.stdin.read().splitlines():
    f = line.split("\t")
    if f[0] in ("rss", "start"):
        extra[f[0]] = f[1:]
        continue
    key, skip, rps, p99, errors, notes = f
    rows[key] = dict(skip=skip, rps=[float(x) for x in rps.split()], p99=[float(x) for x in p99.split()],
                     errors=int(errors), notes=notes.strip().rstrip(";"))
def median(xs):
    return statistics.median(xs) if xs else None
def ms(x):
    return "%.1f" % x if x >= 10 else "%.2f" % x
def cell(row):
    if row["skip"]:
        return row["skip"], ""
    r, p = median(row["rps"]), median(row["p99"])
    if r is None:
        return "no figures", ""
    mark = " (!)" if row["errors"] else ""
    return "%.0f%s" % (r, mark), ms(p)
scenarios = []
for key in rows:
    s = key.split(":", 1)[1]
    if s not in scenarios:
        scenarios.append(s)
print("| scenario | Castgate rps | Castgate p99 ms | node-oidc-provider rps | node-oidc-provider p99 ms | rps ratio Castgate/node |")
print("|---|---:|---:|---:|---:|---:|")
notes = []
for s in scenarios:
    cg, nd = rows["cg:" + s], rows["node:" + s]
    cr, cp = cell(cg)
    nr, np_ = cell(nd)
    ratio = "n/a"
    if not cg["skip"] and not nd["skip"] and cg["rps"] and nd["rps"]:
        ratio = "%.2f" % (median(cg["rps"]) / median(nd["rps"]))
    print("| %s | %s | %s | %s | %s | %s |" % (s, cr, cp, nr, np_, ratio))
    for name, row in (("Castgate", cg), ("node-oidc-provider", nd)):
        if row["errors"]:
            notes.append("- (!) %s %s: errors in %d run(s): %s" % (name, s, row["errors"], row["notes"] or "no token to introspect"))
print()
cg_rss, node_rss = extra["rss"]
cg_start, node_start, cg_first, node_first = extra["start"]
def ratio(a, b):
    return "%.2f" % (float(a) / float(b)) if a and b and float(b) else "n/a"
print("| | Castgate | node-oidc-provider | ratio Castgate/node |")
print("|---|---:|---:|---:|")
print("| resident memory after the load (VmRSS, MB) | %s | %s | %s |" % (cg_rss, node_rss, ratio(cg_rss, node_rss)))
print("| start to first 200, second start (ms) | %s | %s | %s |" % (cg_start, node_start, ratio(cg_start, node_start)))
print("| first start, for reference (ms) | %s | %s | %s |" % (cg_first, node_first, ratio(cg_first, node_first)))
if notes:
    print()
    print("\n".join(notes))
'
}

commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
# results.md itself is left out: the race writes it, and it would make every later run "dirty".
if [ -n "$(git -C "$root" status --porcelain -- . ':!bench/results.md' 2>/dev/null)" ]; then
    tree="with uncommitted changes"
else
    tree="clean"
fi
jdk=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.runtime\.version = //p' | head -n 1)
nodejs=$(node --version)
cpus=$(nproc)

record_results() { # DATABASE_LABEL TABLE
    local file="$bench/results.md"
    if [ ! -f "$file" ]; then
        cat >"$file" <<'MD'
# Race results

The figures of `bench/race.sh`, newest last: Castgate against node-oidc-provider on the same
machine, the same requests and the same wrk settings (see `bench/README.md`). Each change that may
touch performance adds its run here, so the history shows what each change did. Figures are
medians over the rounds; "(!)" marks a scenario with non-2xx answers or socket errors in some run.
Compare ratios rather than absolute figures across machines.
MD
    fi
    {
        echo
        echo "## $(date -u '+%Y-%m-%d %H:%M UTC') · $commit ($tree) · $1"
        echo
        echo "- machine: $cpus CPUs, JDK $jdk, Node.js $nodejs, node-oidc-provider $node_version"
        echo "- arguments: \`bench/race.sh $arguments\` ($duration s per run, $rounds round(s), $connections connections, $threads threads, warm-up $warmup s per scenario)"
        echo "- load average before and after the race: $load_before / $load_after"
        echo
        echo "$2"
    } >>"$file"
}

# ---- one database --------------------------------------------------------------------------------

race() { # DATABASE
    db=$1
    local label pg_name=""
    case "$db" in
        sqlite)
            label=SQLite
            mkdir -p "$work/sqlite"
            database_url="jdbc:sqlite:$work/sqlite/castgate.db"
            ;;
        postgresql)
            label=PostgreSQL
            if ! command -v psql >/dev/null; then
                echo "PostgreSQL: psql is not installed (apt-get install postgresql-client); the PostgreSQL race is skipped."
                return 0
            fi
            if ! timeout 10 "${pg_admin[@]}" -c 'SELECT 1' >/dev/null 2>&1; then
                echo "PostgreSQL: no server answered on 127.0.0.1:5432 as user postgres; the PostgreSQL race is skipped."
                return 0
            fi
            pg_name="castgate_race_$(date +%s)_$$"
            timeout 30 "${pg_admin[@]}" -c "CREATE DATABASE $pg_name" >/dev/null || die "could not create database $pg_name"
            pg_databases+=("$pg_name")
            database_url="jdbc:postgresql://127.0.0.1:5432/$pg_name?user=postgres"
            ;;
    esac
    say "== $label: $duration s per run, $rounds round(s)"

    # Reset everything of the previous database.
    url=() auth=() body=() method=() skip=() rps_runs=() p99_runs=() error_runs=() error_notes=()

    cg_port="" node_port=""
    new_port cg
    new_port node

    # node-oidc-provider's clients: the same kind of credentials (40 hex), one per token format.
    local kind client id secret
    node_clients='{'
    for kind in opaque es256 rs256; do
        id=$(hex40); secret=$(hex40)
        node_clients+="\"$kind\": {\"id\": \"$id\", \"secret\": \"$secret\"},"
        case "$kind" in
            opaque) auth[node:opaque]="Basic $(printf '%s:%s' "$id" "$secret" | base64 -w0)" ;;
            *) auth[node:jwt-$kind]="Basic $(printf '%s:%s' "$id" "$secret" | base64 -w0)" ;;
        esac
    done
    node_clients="${node_clients%,}}"

    # First starts make what later starts reuse: the database schema and signing keys, Castgate's
    # class cache (written when that first JVM exits), node-oidc-provider's key file. The second
    # start is the one measured, and the one loaded. Castgate's first start also builds the jar
    # when the sources are newer, hence its long time limit.
    say "first starts"
    start_server cg 900
    cg_first_start=$started_ms
    stop_pid "$started_pid"
    start_server node 120
    node_first_start=$started_ms
    stop_pid "$started_pid"

    # Castgate's fixtures, through its command-line tool on the same database.
    say "Castgate: fixtures (a user and the clients)"
    echo 'bench-password-1' | castgate user add --username bench --email bench@example.com --password-stdin >/dev/null
    client=$(castgate client add --name bench --type web --redirect-uri https://bench.example/cb --owner bench --json)
    id=$(json_field client_id <<<"$client"); secret=$(json_field client_secret <<<"$client")
    auth[cg:opaque]="Basic $(printf '%s:%s' "$id" "$secret" | base64 -w0)"
    client=$(castgate client add --name bench-es256 --type web --redirect-uri https://bench.example/cb --owner bench \
        --access-token-format jwt --json)
    id=$(json_field client_id <<<"$client"); secret=$(json_field client_secret <<<"$client")
    auth[cg:jwt-es256]="Basic $(printf '%s:%s' "$id" "$secret" | base64 -w0)"
    if rs256_supported; then
        client=$(castgate client add --name bench-rs256 --type web --redirect-uri https://bench.example/cb --owner bench \
            --access-token-format jwt --access-token-alg RS256 --json)
        id=$(json_field client_id <<<"$client"); secret=$(json_field client_secret <<<"$client")
        auth[cg:jwt-rs256]="Basic $(printf '%s:%s' "$id" "$secret" | base64 -w0)"
    else
        skip[cg:jwt-rs256]="n/a (not supported by this build)"
    fi

    say "second starts (measured)"
    load_before=$(cut -d' ' -f1-3 /proc/loadavg)
    start_server cg 120
    cg_start=$started_ms cg_pid=$started_pid
    start_server node 120
    node_start=$started_ms node_pid=$started_pid
    # bin/castgate ends in exec java, and env execs too: the PIDs are the servers themselves.
    [ "$(basename "$(readlink "/proc/$cg_pid/exe")")" = java ] || die "PID $cg_pid is not the Castgate JVM"
    [ "$(basename "$(readlink "/proc/$node_pid/exe")")" = node ] || die "PID $node_pid is not node"
    say "Castgate started in $cg_start ms (first start $cg_first_start ms), node-oidc-provider in $node_start ms (first $node_first_start ms)"

    # Endpoints from each server's discovery document.
    local s discovery
    for s in "${servers[@]}"; do
        local base; [ "$s" = cg ] && base="http://127.0.0.1:$cg_port" || base="http://127.0.0.1:$node_port"
        discovery=$(curl -s --max-time 10 "$base/.well-known/openid-configuration")
        local token_url introspection_url
        token_url=$(json_field token_endpoint <<<"$discovery")
        introspection_url=$(json_field introspection_endpoint <<<"$discovery")
        for kind in opaque jwt-es256 jwt-rs256; do
            url[$s:$kind]=$token_url method[$s:$kind]=POST
            body[$s:$kind]="grant_type=client_credentials&scope=broadcaster"
        done
        url[$s:introspection]=$introspection_url method[$s:introspection]=POST
        auth[$s:introspection]=${auth[$s:opaque]}
        url[$s:discovery]="$base/.well-known/openid-configuration" method[$s:discovery]=GET
    done
    for s in "${servers[@]}"; do
        for kind in "${scenarios[@]}"; do check_scenario "$s" "$kind"; done
    done

    if [ "$warmup" -gt 0 ]; then
        say "warm-up: ${warmup} s per scenario and server"
        for s in "${servers[@]}"; do
            for kind in "${scenarios[@]}"; do
                [ -n "${skip[$s:$kind]:-}" ] && continue
                [ "$kind" = introspection ] && { prepare_introspection "$s" || continue; }
                wrk_run "$s" "$kind" "$warmup" /dev/null
            done
        done
    fi

    local round
    for round in $(seq 1 "$rounds"); do
        for kind in "${scenarios[@]}"; do
            if [ $(( round % 2 )) = 1 ]; then
                measure cg "$kind" "$round"; measure node "$kind" "$round"
            else
                measure node "$kind" "$round"; measure cg "$kind" "$round"
            fi
        done
    done

    load_after=$(cut -d' ' -f1-3 /proc/loadavg)
    cg_rss=$(rss_mb "$cg_pid")
    node_rss=$(rss_mb "$node_pid")
    stop_pid "$cg_pid"
    stop_pid "$node_pid"
    [ -n "$pg_name" ] && drop_database "$pg_name"

    local figures
    figures=$(table)
    echo
    echo "== $label ($duration s per run, $rounds round(s), $connections connections, $threads threads; $commit, $tree)"
    echo
    echo "$figures"
    echo
    [ "$record" = 1 ] && record_results "$label" "$figures"
    return 0
}

install_node_provider
# bin/castgate keeps a class cache for the server (an ahead-of-time cache on JDK 25, a class-data
# archive before), written when the first serve after a build exits and reused until the jar
# changes. The race deletes it once, so that its first start writes it and the measured second
# start is the one every later start of the same build gets.
rm -f "$root"/target/castgate-serve-*

for d in "${databases[@]}"; do race "$d"; done
[ "$record" = 1 ] && say "appended to bench/results.md"
exit 0
