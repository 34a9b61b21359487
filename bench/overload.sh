#!/usr/bin/env bash
# Overload (issue 14): how fast the server refuses work it cannot take. The bundled model, a
# closed loop of 1,000 callers sending zeroshot bench's generated 224x224 PNGs (far beyond what
# two cores decode, so many calls are refused with RESOURCE_EXHAUSTED), 10 s measured after a
# warm-up. Prints, per run, the client's latency of
# successes and of rejections (zeroshot bench, HdrHistogram) and the server's own count of
# rejections by how long it took from the call's headers to its status
# (zeroshot_grpc_request_duration_seconds buckets): the difference is time spent outside the
# server's handling (the client, the kernel, Netty before the call starts).
# Runs each given server jar in turn, ROUNDS times, so that the machine's drift falls on all.
# Needs client-java/target/zeroshot-client.jar. Loopback only; the server is stopped on exit.
#   bench/overload.sh [ROUNDS] [SERVER_JAR...]   (default: 2 server/target/zeroshot-server.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-2}"
shift || true
jars=("$@")
[[ ${#jars[@]} -gt 0 ]] || jars=(server/target/zeroshot-server.jar)
callers="${BENCH_CALLERS:-1000}"
port=50571
metrics_port=9584
export DJL_OFFLINE=true
pid=""
out="$(mktemp -d)"
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$out"' EXIT
bench() {
  java -jar client-java/target/zeroshot-client.jar bench --target "127.0.0.1:$port" \
    --labels "red star,blue circle,green square,sneaker,bag" \
    --template "a photo of a {}" --no-progress "$@"
}
# Rejections the server counted, by bucket: "le=count" pairs.
rejected_buckets() {
  curl -s "http://127.0.0.1:$metrics_port/metrics" |
    awk -F'[{}"]' '/^zeroshot_grpc_request_duration_seconds_bucket/ && /RESOURCE_EXHAUSTED/ && /Classify/ {
      for (i = 1; i <= NF; i++) if ($i ~ /le=$/) le = $(i + 1); split($0, v, " "); printf "%s=%s ", le, v[length(v)] }'
}
printf "%-45s %8s %8s %9s %9s %9s %9s\n" jar "ok/s" rejected "ok p50" "ok p99" "rej p50" "rej p99"
for round in $(seq "$rounds"); do
  for jar in "${jars[@]}"; do
    log="$out/server.log"
    java -XX:MaxDirectMemorySize=1g -jar "$jar" --host 127.0.0.1 --port "$port" \
      --metrics-port "$metrics_port" --device cpu >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 120); do grep -q "ZeroShot Serve ready" "$log" && break; sleep 0.5; done
    # a discarded run: the server's JIT warm-up
    bench --metrics-url none --concurrency 64 --initial-warmup 10s --warmup 2s --duration 5s \
      >/dev/null 2>&1 || true
    before="$(rejected_buckets)"
    bench --metrics-url none --concurrency "$callers" --initial-warmup 5s --warmup 3s \
      --duration 10s --json "$out/run.json" >/dev/null 2>&1 || true
    after="$(rejected_buckets)"
    /usr/bin/python3 - "$jar" "$out/run.json" "$before" "$after" <<'PY'
import json, sys
jar, path, before, after = sys.argv[1:5]
step = json.load(open(path))["steps"][0]
ok, rej = step["latency_ms"], step["rejected_latency_ms"]
print(f"{jar:45s} {step['throughput_per_s']:8.0f} {rej['count']:8d} {ok['p50_ms']:9.2f} "
      f"{ok['p99_ms']:9.2f} {rej['p50_ms']:9.2f} {rej['p99_ms']:9.2f}")
def parse(s):
    return {k: float(v) for k, v in (p.split("=") for p in s.split())}
b, a = parse(before), parse(after)
total = a.get("+Inf", 0) - b.get("+Inf", 0)
if total > 0:
    cum = [(float(k), a[k] - b.get(k, 0)) for k in a if k != "+Inf"]
    cum.sort()
    shares = ", ".join(f"<= {k * 1000:g} ms: {c / total:.1%}" for k, c in cum if k <= 1.0)
    print(f"  server: {total:.0f} rejections, from headers to status {shares}")
PY
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
  done
done
