#!/usr/bin/env bash
# The benchmark suite of docs/benchmarks.md (issue 7). For each model (the bundled tiny-clip, a
# ViT-B/32-sized model with random weights generated here by tools/clip/export.py, and SigLIP
# base/16-224- and SigLIP 2 NaFlex-sized ones from tools/siglip/export.py, issue 22):
#   1. the in-process limit: decode + preprocess + encode, no server, at each batch size (measured
#      again at the end; the served fraction uses the mean of the two);
#   2. the server at saturation: zeroshot bench, closed loop, a sweep of concurrency;
#   3. the same with batching off (--max-batch-size 1);
#   4. open-loop latency at 25 %, 50 % and 75 % of the measured saturation;
#   5. phone-size JPEGs (12 MP, made by bench/phone_jpegs.py from tools/clip/tests/preprocess in the
#      repository) at saturation, --preprocess-mode exact against fast (issue 15).
# Every figure's JSON goes to bench/target/results/<model>/; bench/plot.py then writes
# summary.json, summary.md and throughput-vs-p99.png there. The server runs on loopback only and
# is always stopped on exit.
#
# Environment (defaults in brackets):
#   BENCH_QUICK=1           a ~1-minute smoke of the whole suite per model: short steps, small sweeps
#   BENCH_WARMUP [3s]       warm-up of every step       BENCH_DURATION [10s]  measured time per step
#   BENCH_VIT_DURATION [30s] measured time per step for the (slow) ViT-B/32- and SigLIP-sized models
#   BENCH_SERVER_WARMUP [30s] a discarded closed-loop run after each server start: the JIT keeps
#                           speeding the server up for a while (docs/benchmarks.md, issue 4)
#   BENCH_INITIAL_WARMUP [10s] zeroshot bench --initial-warmup: each client JVM's own JIT warm-up,
#                           before its first step
#   BENCH_CONCURRENCY [1,4,8,16,32,64]                  BENCH_BATCH_SIZES [1,8,32] (in-process)
#   BENCH_MODELS [tiny-clip,vit-b-32,siglip-b16,siglip2-naflex]
#                                                        BENCH_PORT [50551], BENCH_METRICS_PORT [9564]
#   BENCH_SKIP_BUILD=1      use the jars already built  BENCH_MVN_OPTS  extra Maven flags, e.g. -o
#   BENCH_PHONE [1]         0 leaves step 5 out         BENCH_PHONE_CONCURRENCY [2,8]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# bench/plot.py draws the summary at the end: say now, not after 20 minutes, what it needs.
if ! /usr/bin/python3 -c "import matplotlib" 2>/dev/null; then
  echo "run-suite.sh: bench/plot.py needs matplotlib: apt-get install python3-matplotlib" >&2
  exit 2
fi
results=bench/target/results
server_jar=server/target/zeroshot-server.jar
client_jar=client-java/target/zeroshot-client.jar

if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  warmup="${BENCH_WARMUP:-1s}"; duration="${BENCH_DURATION:-2s}"; server_warmup="${BENCH_SERVER_WARMUP:-2s}"
  initial_warmup="${BENCH_INITIAL_WARMUP:-2s}"
  concurrency="${BENCH_CONCURRENCY:-4,16}"; batch_sizes="${BENCH_BATCH_SIZES:-1,8}"
else
  warmup="${BENCH_WARMUP:-3s}"; duration="${BENCH_DURATION:-10s}"; server_warmup="${BENCH_SERVER_WARMUP:-30s}"
  initial_warmup="${BENCH_INITIAL_WARMUP:-10s}"
  concurrency="${BENCH_CONCURRENCY:-1,4,8,16,32,64}"; batch_sizes="${BENCH_BATCH_SIZES:-1,8,32}"
fi
models="${BENCH_MODELS:-tiny-clip,vit-b-32,siglip-b16,siglip2-naflex}"
phone="${BENCH_PHONE:-1}"
phone_concurrency="${BENCH_PHONE_CONCURRENCY:-2,8}"
phone_photos=tools/clip/tests/preprocess
phone_images=bench/target/phone-jpegs
port="${BENCH_PORT:-50551}"
metrics_port="${BENCH_METRICS_PORT:-9564}"
target="127.0.0.1:$port"
metrics_url="http://127.0.0.1:$metrics_port/metrics"
# The images sent to every model: the bundled samples (28x28 and 32x32 PNG and JPEG). Paths are
# relative to the repository root (the working directory from here on), so that the committed
# results name no folder of the machine they ran on.
images=models/tiny-clip/samples
labels="red star,blue circle,green square,sneaker,bag"
export DJL_OFFLINE=true
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HOME/.cache/zeroshot/djl}"

# log, start_server LOG MODEL_DIR [OPTION...], stop_server, and the traps that stop it on exit.
source bench/lib.sh

# warm_server: a discarded run at the highest concurrency, so the first measured step does not
# pay for the server's JIT warm-up.
warm_server() {
  log "$model: warming the server up for $server_warmup (discarded)"
  java -jar "$client_jar" bench --target "$target" --metrics-url none --images "$images" \
    --labels "$labels" --template "a photo of a {}" --concurrency "${warm_concurrency:-${concurrency##*,}}" \
    --initial-warmup 0 --warmup 1ms --duration "$server_warmup" --no-progress >/dev/null || true
}

# bench NAME ARG...: zeroshot bench against the running server, JSON to $out/NAME.json.
bench() {
  local name="$1"
  shift
  log "$model: $name"
  local rc=0
  java -jar "$client_jar" bench --target "$target" --metrics-url "$metrics_url" \
    --images "$images" --labels "$labels" --template "a photo of a {}" \
    --initial-warmup "$initial_warmup" --warmup "$warmup" --duration "$duration" --no-progress \
    --json "$out/$name.json" "$@" \
    | tee "$out/$name.txt" || rc=$?
  if [[ $rc != 0 ]]; then
    log "$model: $name: zeroshot bench exited with $rc (some requests failed; see the table)"
  fi
}

# in_process FILE: decode + preprocess + encode of the current model, no server, JSON to FILE.
in_process() {
  java -XX:MaxDirectMemorySize=1g -cp "$server_jar" zeroshot.server.bench.InProcessLimit \
    --model-dir "$model_dir" --images "$images" --batch-sizes "$batch_sizes" \
    --warmup "$warmup" --duration "$duration" >"$1"
}

# saturation FILE: the highest closed-loop throughput in a bench JSON.
saturation() {
  /usr/bin/python3 -c 'import json,sys; print(max(s["throughput_per_s"] for s in json.load(open(sys.argv[1]))["steps"]))' "$1"
}

if [[ "$phone" == 1 ]]; then
  if [[ ! -d "$phone_photos" ]] || ! /usr/bin/python3 -c "import PIL" 2>/dev/null; then
    echo "run-suite.sh: step 5 needs tools/clip/tests/preprocess (in the repository) and" \
      "Pillow (apt-get install python3-pil); BENCH_PHONE=0 leaves it out" >&2
    exit 2
  fi
  /usr/bin/python3 bench/phone_jpegs.py "$phone_photos" "$phone_images"
fi

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  log "building the server and client jars"
  mvn -B -q ${BENCH_MVN_OPTS:-} -pl server,client-java -am package -DskipTests \
    -Dspotless.check.skip
fi
# A fresh results folder: a model skipped this time must not show its figures from a past run.
rm -rf "$results"
mkdir -p "$results"
# What ran where, for docs/benchmarks.md: the machine, the command, the date, the commit.
/usr/bin/python3 - "$results/run.json" "bench/$(basename "$0") $*" "$warmup" "$duration" "$concurrency" \
  "$batch_sizes" "$models" <<'PY'
import json, os, platform, subprocess, sys, datetime
def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return None
out, command, warmup, duration, concurrency, batch_sizes, models = sys.argv[1:]
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "command": command,
    "quick": os.environ.get("BENCH_QUICK", "0") == "1",
    "warmup": warmup, "duration": duration, "concurrency": concurrency,
    "batch_sizes": batch_sizes, "models": models,
    # The BENCH_* settings of the run (BENCH_PHONE=0 and the like are not in the command line).
    "environment": {k: v for k, v in sorted(os.environ.items()) if k.startswith("BENCH_")},
    "commit": sh("git rev-parse HEAD"),
    "machine": {
        "cores": os.cpu_count(),
        "cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip() or platform.processor(),
        "memory": sh("free -h | awk '/Mem:/ {print $2}'"),
        "os": platform.platform(),
        "java": sh("java -version 2>&1 | head -1"),
    },
}, open(out, "w"), indent=1)
PY

default_duration="$duration"
IFS=, read -r -a model_list <<<"$models"
for model in "${model_list[@]}"; do
  case "$model" in
    tiny-clip) model_dir=models/tiny-clip ;;
    vit-b-32)
      model_dir=bench/target/vit-b-32
      if [[ ! -f tools/clip/export.py ]]; then
        log "SKIPPING vit-b-32: tools/clip/export.py is absent (the CLIP export tool is not on" \
          "this branch yet); the suite measures it once that tool is merged"
        continue
      fi
      if [[ ! -f "$model_dir/model.json" ]]; then
        log "vit-b-32: generating a ViT-B/32-sized model with random weights in $model_dir"
        /usr/bin/python3 tools/clip/export.py --random ViT-B/32 --seed 0 --out "$model_dir"
      fi
      ;;
    siglip-b16 | siglip2-naflex)
      # SigLIP base/16 at 224 px and SigLIP 2 base/16 NaFlex (256 patches), random weights of the
      # real shapes; the text vocabulary is cut to 32,000 rows (a table lookup: it changes memory,
      # not speed) so that SigLIP 2's 256,000-row table does not write 786 MB.
      variant=siglip-base-patch16-224
      [[ "$model" == siglip2-naflex ]] && variant=siglip2-base-patch16-naflex
      model_dir="bench/target/$model"
      if [[ ! -f "$model_dir/model.json" ]]; then
        log "$model: generating a $variant-sized model with random weights in $model_dir"
        /usr/bin/python3 tools/siglip/export.py --random "$variant" --seed 0 --vocab-size 32000 \
          --out "$model_dir"
      fi
      ;;
    *)
      log "unknown model '$model' (expected: tiny-clip, vit-b-32, siglip-b16 or siglip2-naflex)"
      exit 2
      ;;
  esac
  out="$results/$model"
  mkdir -p "$out"
  # The ViT-B/32- and SigLIP-sized models serve ~5-15 images/s on 2 CPU cores: 10 s steps would
  # give their open loop ~40 samples at 25 % load, too few for a p99.
  duration="$default_duration"
  if [[ "$model" != tiny-clip && "${BENCH_QUICK:-0}" != 1 ]]; then
    duration="${BENCH_VIT_DURATION:-30s}"
  fi

  log "$model: in-process limit, batch sizes $batch_sizes"
  in_process "$out/in-process.json"

  start_server "$out/batching-on.server.log" "$model_dir" --metrics-port "$metrics_port"
  warm_server
  bench saturation --mode closed --concurrency "$concurrency"
  sat="$(saturation "$out/saturation.json")"
  rates="$(/usr/bin/python3 -c 'import sys; s=float(sys.argv[1]); print(",".join(f"{s*f:.1f}" for f in (0.25, 0.5, 0.75)))' "$sat")"
  bench latency --mode open --rate "$rates"
  stop_server

  start_server "$out/batching-off.server.log" "$model_dir" --metrics-port "$metrics_port" \
    --max-batch-size 1
  warm_server
  bench batching-off --mode closed --concurrency "$concurrency"
  stop_server

  if [[ "$phone" == 1 ]]; then
    # 12 MP photos: decoding, not the model, bounds the exact mode on the CPU.
    default_images="$images"
    images="$phone_images"
    warm_concurrency="${phone_concurrency##*,}"
    for mode in exact fast; do
      start_server "$out/phone-$mode.server.log" "$model_dir" --metrics-port "$metrics_port" \
        --preprocess-mode "$mode"
      warm_server
      bench "phone-$mode" --mode closed --concurrency "$phone_concurrency"
      stop_server
    done
    images="$default_images"
    warm_concurrency=""
  fi

  # Again after the server runs: the VM's speed drifts over these minutes (docs/benchmarks.md),
  # so the served fraction is taken against the mean of the two.
  log "$model: in-process limit again, after the server runs"
  in_process "$out/in-process-after.json"
done

/usr/bin/python3 bench/plot.py "$results"
