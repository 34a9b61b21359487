#!/usr/bin/env bash
# A/B of --batch-wait (issue 4): the bundled model, closed loop at 1, 32 and 64 callers, with
# `always` (Triton's behaviour: a batch that is not full waits the whole --max-queue-delay) and
# `announced` (the default: it waits only while more images are being decoded for it), in rounds
# that alternate the two so that the machine's drift falls on both. Needs the jars
# (mvn -pl server,client-java -am package -DskipTests). Loopback only; the server is stopped on exit.
#   bench/batch-wait-ab.sh [ROUNDS]     (default 2; about 1.5 min per server)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-2}"
port=50561
metrics_port=9574
export DJL_OFFLINE=true
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true' EXIT
bench() {
  java -jar client-java/target/zeroshot-client.jar bench --target "127.0.0.1:$port" \
    --images models/tiny-clip/samples --labels "red star,blue circle,green square,sneaker,bag" \
    --template "a photo of a {}" --no-progress "$@"
}
echo "mode       step            ok/s     ok  errors  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  batches  mean batch  queue wait ms  client cpu"
for round in $(seq "$rounds"); do
  for mode in always announced; do
    log="$(mktemp)"
    java -XX:MaxDirectMemorySize=1g -jar server/target/zeroshot-server.jar --host 127.0.0.1 \
      --port "$port" --metrics-port "$metrics_port" --device cpu --batch-wait "$mode" >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 120); do grep -q "ZeroShot Serve ready" "$log" && break; sleep 0.5; done
    # a discarded run: the server's JIT warm-up
    bench --metrics-url none --concurrency 64 --initial-warmup 15s --warmup 3s --duration 10s \
      >/dev/null 2>&1 || true
    bench --metrics-url "http://127.0.0.1:$metrics_port/metrics" --concurrency 1,32,64 \
      --initial-warmup 5s --warmup 3s --duration 10s 2>/dev/null |
      awk -v m="$mode" '/^concurrency/ {printf "%-10s %s\n", m, $0}'
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
    rm -f "$log"
  done
done
