#!/usr/bin/env bash
# The soak (issue 29, point 4): a long run of the bundled model with label-set churn, to show that
# nothing grows. The server keeps its label sets in a folder of the run (--label-set-dir, so every
# put and delete is forced to disk) and bench/soak/SoakDriver.java drives it: SOAK_CALLS Classify
# calls in a closed loop, one ClassifyStream of SOAK_STREAM_ITEMS items spread over the whole run,
# and every SOAK_CHURN_EVERY calls a label set replaced, one put and one deleted. Every
# SOAK_SAMPLE seconds this script forces a full GC in the server (jcmd GC.run) and samples its RSS,
# heap used after that GC, threads and open files; the driver writes each window's latency
# percentiles. bench/plot_soak.py then plots both and checks the targets (first tenth of the run
# against the last): RSS after GC within 5 %, no thread or file-descriptor growth, p99 within
# 20 %. Loopback only; the server is always stopped on exit.
#
# Environment (defaults in brackets):
#   SOAK_CALLS [1000000]        Classify calls          SOAK_STREAM_ITEMS [100000]  stream items
#   SOAK_CONCURRENCY [8]        unary callers           SOAK_STREAM_IN_FLIGHT [32]  items ahead
#   SOAK_CHURN_EVERY [1000]     calls between churn steps (3 label set calls each)
#   SOAK_SAMPLE [10]            seconds between samples and latency windows
#   SOAK_OUT [bench/target/soak] results: resources.csv, latency.csv, driver.json, run.json,
#                               server.log, soak.png, summary.json, summary.md
#   SOAK_HEAP [1g]              the server's -Xmx        SOAK_PORT [50561]
#   SOAK_SKIP_BUILD=1           use the jars already built
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if ! /usr/bin/python3 -c "import matplotlib" 2>/dev/null; then
  echo "soak.sh: bench/plot_soak.py needs matplotlib: apt-get install python3-matplotlib" >&2
  exit 2
fi
command -v jcmd >/dev/null || { echo "soak.sh: needs jcmd (a JDK, not a JRE)" >&2; exit 2; }
calls="${SOAK_CALLS:-1000000}"
stream_items="${SOAK_STREAM_ITEMS:-100000}"
concurrency="${SOAK_CONCURRENCY:-8}"
in_flight="${SOAK_STREAM_IN_FLIGHT:-32}"
churn_every="${SOAK_CHURN_EVERY:-1000}"
sample="${SOAK_SAMPLE:-10}"
out="${SOAK_OUT:-bench/target/soak}"
heap="${SOAK_HEAP:-1g}"
port="${SOAK_PORT:-50561}"
server_jar=server/target/zeroshot-server.jar
client_jar=client-java/target/zeroshot-client.jar
export DJL_OFFLINE=true
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HOME/.cache/zeroshot/djl}"

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

server_pid=""
sampler_pid=""
cleanup() {
  [[ -n "$sampler_pid" ]] && kill "$sampler_pid" 2>/dev/null || true
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ "${SOAK_SKIP_BUILD:-0}" != 1 ]]; then
  log "building the server and client jars"
  mvn -B -q -pl server,client-java -am package -DskipTests -Dspotless.check.skip
fi
rm -rf "$out"
mkdir -p "$out/label-sets"
/usr/bin/python3 - "$out/run.json" "$calls" "$stream_items" "$concurrency" "$in_flight" \
  "$churn_every" "$sample" "$heap" <<'PY'
import json, os, platform, subprocess, sys, datetime
def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
out, calls, items, concurrency, in_flight, churn, sample, heap = sys.argv[1:]
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "calls": int(calls), "stream_items": int(items), "concurrency": int(concurrency),
    "stream_in_flight": int(in_flight), "churn_every": int(churn), "sample_s": int(sample),
    "server_heap": heap, "commit": sh("git rev-parse HEAD"),
    "machine": {
        "cores": os.cpu_count(),
        "cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip() or platform.processor(),
        "memory": sh("free -h | awk '/Mem:/ {print $2}'"),
        "os": platform.platform(),
        "java": sh("java -version 2>&1 | head -1"),
    },
}, open(out, "w"), indent=1)
PY

log "starting the server (tiny-clip, -Xmx$heap, label sets in $out/label-sets)"
java "-Xmx$heap" -XX:MaxDirectMemorySize=1g ${JAVA_OPTS:-} -jar "$server_jar" \
  --model-dir models/tiny-clip --host 127.0.0.1 --port "$port" --metrics-port -1 --device cpu \
  --label-set-dir "$out/label-sets" >"$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  kill -0 "$server_pid" 2>/dev/null || { tail -20 "$out/server.log" >&2; exit 1; }
  grep -q "ZeroShot Serve ready" "$out/server.log" && break
  sleep 0.5
done
grep -q "ZeroShot Serve ready" "$out/server.log" || { log "server not ready after 300 s"; exit 1; }

# heap_used_kb: the heap in use just after a full GC, summed over its generations.
heap_used_kb() {
  jcmd "$server_pid" GC.run >/dev/null
  jcmd "$server_pid" GC.heap_info |
    awk '/total/ && /used/ && !/Metaspace|class space/ {
      for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); s += v } }
      END { print s + 0 }'
}
echo "epoch_s,rss_kb,heap_used_kb,threads,open_files" >"$out/resources.csv"
(
  while kill -0 "$server_pid" 2>/dev/null; do
    heap_kb="$(heap_used_kb)"
    # RSS after that GC; threads and open files of the server process.
    rss_kb="$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status")"
    threads="$(awk '/^Threads/ {print $2}' "/proc/$server_pid/status")"
    files="$(ls "/proc/$server_pid/fd" | wc -l)"
    echo "$(date +%s),$rss_kb,$heap_kb,$threads,$files" >>"$out/resources.csv"
    sleep "$sample"
  done
) 2>/dev/null &
sampler_pid=$!

log "driving $calls calls and a stream of $stream_items items ($concurrency callers)"
java -cp "$client_jar" bench/soak/SoakDriver.java --target "127.0.0.1:$port" \
  --images models/tiny-clip/samples --out "$out" --calls "$calls" --stream-items "$stream_items" \
  --concurrency "$concurrency" --stream-in-flight "$in_flight" --churn-every "$churn_every" \
  --window-seconds "$sample"
sleep "$sample" # one more sample after the load ends
cleanup
server_pid=""
sampler_pid=""
/usr/bin/python3 bench/plot_soak.py "$out"
