#!/usr/bin/env bash
# HTTP/JSON against gRPC on the bundled model (issue 26): one server, its gRPC port and its HTTP
# port driven in turn by `zeroshot bench` (closed loop, BENCH_CALLERS callers), unary Classify over
# gRPC (protobuf) against POST /v1/classify with the image in base64 JSON, parsed back by the
# client as a real one would. Rounds alternate the two so that anything else the machine does
# weighs on both alike. JSON per run and summary.md in bench/target/http-vs-grpc/results/.
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

# log, start_server LOG MODEL_DIR [OPTION...], stop_server, and the traps that stop it on exit.
source bench/lib.sh

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  log "building the server and client jars"
  mvn -B -q -o -pl server,client-java -am package -DskipTests -Dspotless.check.skip
fi
rm -rf "$results"
mkdir -p "$results"
git rev-parse HEAD >"$results/commit.txt"
grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' >"$results/cpu.txt"

start_server "$results/server.log" models/tiny-clip --metrics-port -1 --http-port "$http_port"
for round in $(seq 1 "$rounds"); do
  for rpc in unary http; do
    log "round $round: $rpc, $callers callers"
    java -jar "$client_jar" bench --target "$target" --http-url "http://127.0.0.1:$http_port" \
      --rpc "$rpc" --images "$images" --labels "$labels" --concurrency "$callers" \
      --warmup "$warmup" --duration "$duration" --metrics-url none --no-progress \
      --json "$results/$rpc-$round.json" >"$results/$rpc-$round.txt"
  done
done
stop_server
/usr/bin/python3 bench/http_summary.py "$results" | tee "$results/summary.md"
