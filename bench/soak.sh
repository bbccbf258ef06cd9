#!/usr/bin/env bash
# Memory over a long token load: starts Castgate as the README does (bin/castgate serve) on a
# temporary SQLite database, loads client_credentials with wrk in back-to-back slices and prints
# the process's resident memory (VmRSS) after each, then the growth from the first slice to the last.
#   bench/soak.sh [minutes, default 5] [connections, default 32]
# Bounded: the load ends after the given minutes; the server is stopped by its PID at the end.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
minutes=${1:-5}
connections=${2:-32}
slice=15
command -v wrk >/dev/null || { echo "soak: wrk is needed (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export CASTGATE_DATABASE_URL="jdbc:sqlite:$work/castgate.db" CASTGATE_PORT=$port CASTGATE_HOST=127.0.0.1
export CASTGATE_ISSUER="http://127.0.0.1:$port" CASTGATE_LOG_LEVEL=WARN
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

cg() { "$root/bin/castgate" "$@"; }
echo "bench-password-1" | cg user add --username bench --email bench@example.com --password-stdin >/dev/null
client=$(cg client add --name bench --type web --redirect-uri https://bench.example/cb --owner bench --json)
field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
basic=$(printf '%s:%s' "$(field client_id <<<"$client")" "$(field client_secret <<<"$client")" | base64 -w0)

"$root/bin/castgate" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { cat "$work/server.log" >&2; exit 1; }

rss() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"; }
slices=$(( minutes * 60 / slice ))
echo "soak: $minutes min of client_credentials, $connections connections, VmRSS after each ${slice}s slice"
echo "soak: before the load: $(rss) MB"
first="" last=""
for i in $(seq 1 "$slices"); do
    rps=$(timeout $(( slice + 30 )) wrk -t2 -c"$connections" -d"${slice}s" -s "$root/bench/race.lua" \
        "http://127.0.0.1:$port/oauth2/token" -- POST "grant_type=client_credentials&scope=broadcaster" "Basic $basic" \
        | awk '/Requests\/sec/ { printf "%.0f", $2 }')
    now=$(rss)
    [ -z "$first" ] && first=$now
    last=$now
    printf 'soak: %3d s  %6s rps  %4s MB\n' $(( i * slice )) "$rps" "$now"
done
echo "soak: growth from the first slice to the last: $(( last - first )) MB"
