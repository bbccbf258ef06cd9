#!/usr/bin/env bash
# Loads a freshly built Castgate on loopback with wrk and prints requests per second and latency
# percentiles for the client_credentials grant, introspection, the Streaming API and the discovery
# document.
#   bench/token-bench.sh [seconds per run, default 15] [connections, default 32]
# It starts its own server on a temporary SQLite database and stops it (by PID) when done.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/jdk.sh"
duration=${1:-15}
connections=${2:-32}
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 1; }

(cd "$root" && mvn -q -B -DskipTests package) >&2
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export CASTGATE_DATABASE_URL="jdbc:sqlite:$work/castgate.db" CASTGATE_PORT=$port CASTGATE_ISSUER="http://127.0.0.1:$port"
export CASTGATE_LOG_LEVEL=WARN
# The Streaming API run measures the API, not its rate limiter's refusals.
export CASTGATE_API_RATE_LIMIT_PER_TOKEN=10000000 CASTGATE_API_RATE_LIMIT_PER_ADDRESS=10000000
cg() { java -jar "$root/target/castgate.jar" "$@"; }

echo "bench-password-1" | cg user add --username bench --email bench@example.com --password-stdin >/dev/null
client=$(cg client add --name bench --type web --redirect-uri https://bench.example/cb --owner bench --json)
client_id=$(echo "$client" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])')
client_secret=$(echo "$client" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])')

"$root/bin/castgate" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.1; done

basic=$(printf '%s:%s' "$client_id" "$client_secret" | base64 -w0)
cat >"$work/token.lua" <<LUA
wrk.method = "POST"
wrk.body = "grant_type=client_credentials&scope=broadcaster"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $basic"
done = function(summary, latency, requests)
  io.write(string.format("non-2xx or errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

# Warm the JIT so the measured runs see compiled code.
wrk -t2 -c8 -d5s -s "$work/token.lua" "http://127.0.0.1:$port/oauth2/token" >/dev/null
wrk -t2 -c8 -d3s "http://127.0.0.1:$port/.well-known/openid-configuration" >/dev/null

echo "== client_credentials: POST /oauth2/token, ${duration}s, ${connections} connections"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$work/token.lua" "http://127.0.0.1:$port/oauth2/token"
echo
# Introspection of one token while the table holds every token the run above issued: a point
# query by hash should not slow down as tokens pile up.
token=$(curl -s -u "$client_id:$client_secret" -d grant_type=client_credentials "http://127.0.0.1:$port/oauth2/token" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
cat >"$work/introspect.lua" <<LUA
wrk.method = "POST"
wrk.body = "token=$token"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $basic"
LUA
echo "== introspection: POST /oauth2/introspect with $(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from access_tokens").fetchone()[0])' "$work/castgate.db") access tokens stored, ${duration}s, ${connections} connections"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$work/introspect.lua" "http://127.0.0.1:$port/oauth2/introspect"
echo
# The Streaming API with one token: the token check is cached; the rate-limit counter is one
# database upsert per request, so that limits hold across nodes.
echo "== Streaming API: GET /api/users/self, ${duration}s, ${connections} connections"
wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/users/self"
echo
echo "== discovery: GET /.well-known/openid-configuration, ${duration}s, ${connections} connections"
wrk -t2 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$port/.well-known/openid-configuration"
echo
tokens=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from access_tokens").fetchone()[0])' "$work/castgate.db")
echo "access tokens stored during the run: $tokens"
