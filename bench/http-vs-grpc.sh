#!/usr/bin/env bash
# HTTP/JSON against gRPC on the bundled model (issue 26): one server, the same Classify requests
# (the bundled samples, the same labels, top_k 1) sent by BENCH_CALLERS callers in a closed loop:
#   - grpc: `zeroshot bench --rpc unary` (grpc-java, protobuf);
#   - http: wrk (Debian's package: a C load generator) with bench/http-classify.lua, POST
#     /v1/classify with the image in base64 JSON, one keep-alive connection per caller;
#   - http-java: `zeroshot bench --rpc http` (the JDK's HttpClient, which parses each answer back
#     into a ClassifyResponse): a JVM client's view, which on a 2-core machine also measures that
#     client's own CPU.
# Rounds alternate the three so that anything else the machine does weighs on each alike. JSON per
# run and summary.md in bench/target/http-vs-grpc/results/.
#
# Environment: BENCH_ROUNDS [4], BENCH_CALLERS [32], BENCH_WARMUP [3s], BENCH_DURATION [10s],
# BENCH_PORT [50571], BENCH_HTTP_PORT [50572], BENCH_SKIP_BUILD=1 (use the jars already built).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results=bench/target/http-vs-grpc/results
server_jar=server/target/zeroshot-server.jar
client_jar=client-java/target/zeroshot-client.jar
rounds="${BENCH_ROUNDS:-4}"
callers="${BENCH_CALLERS:-32}"
warmup="${BENCH_WARMUP:-3s}"
duration="${BENCH_DURATION:-10s}"
port="${BENCH_PORT:-50571}"
http_port="${BENCH_HTTP_PORT:-50572}"
target="127.0.0.1:$port"
images=models/tiny-clip/samples
labels="red star,blue circle,green square,sneaker,bag"
export DJL_OFFLINE=true

# log, build_jars, fresh_results DIR, start_server LOG MODEL_DIR [OPTION...], stop_server, and
# the traps that stop it on exit.
source bench/lib.sh

build_jars
fresh_results "$results"

if ! command -v wrk >/dev/null; then
  log "wrk is missing: apt-get install wrk"
  exit 1
fi
export BODIES=bench/target/http-vs-grpc/bodies.ndjson
/usr/bin/python3 bench/http_bodies.py "$images" "$labels" 1 >"$BODIES"

# zeroshot RPC ROUND: one closed-loop step of the Java load generator.
zeroshot() {
  java -jar "$client_jar" bench --target "$target" --http-url "http://127.0.0.1:$http_port" \
    --rpc "$1" --images "$images" --labels "$labels" --concurrency "$callers" \
    --warmup "$warmup" --duration "$duration" --metrics-url none --no-progress \
    --json "$results/$2.json" >"$results/$2.txt"
}

start_server "$results/server.log" models/tiny-clip --metrics-port -1 --http-port "$http_port"
wrk_url="http://127.0.0.1:$http_port/v1/classify"
for round in $(seq 1 "$rounds"); do
  log "round $round: gRPC, $callers callers"
  zeroshot unary "grpc-$round"
  log "round $round: HTTP/JSON (wrk), $callers callers"
  wrk -t2 -c"$callers" -d"$warmup" -s bench/http-classify.lua "$wrk_url" >/dev/null
  wrk -t2 -c"$callers" -d"$duration" -s bench/http-classify.lua "$wrk_url" \
    | tee "$results/http-$round.txt" | grep '^{' >"$results/http-$round.json"
  log "round $round: HTTP/JSON (JDK HttpClient), $callers callers"
  zeroshot http "http-java-$round"
done
stop_server
/usr/bin/python3 bench/http_summary.py "$results" | tee "$results/summary.md"
