#!/usr/bin/env bash
# Reduced precision on the CPU (issue 25), all in one run on this machine: for the bundled
# tiny-clip and a ViT-B/32-sized model with random weights (tools/clip/export.py), each in float32,
# bfloat16 and int8 (tools/precision/convert.py):
#   1. in-process throughput (decode + preprocess + encode, no server) at batch 1 and at the CPU
#      default batch size (8), then where the image encoder's time goes at batch 8 (libtorch's
#      operator profile, summed by bench/profile_ops.py);
#   2. the server at saturation (closed loop, a sweep of concurrency; the best step counts) and
#      open-loop latency at half that rate (p50, p99);
#   3. the cosine of image and text embeddings against float32 (worst and mean; the bundled samples
#      and the CLIP reference photos, 20 prompts): zeroshot.server.bench.EmbeddingAgreement;
#   4. the bundled model's accuracy per precision: tools/precision/tinyclip_accuracy.py (needs
#      Debian's dataset-fashion-mnist).
# JSON per figure in bench/target/precision/results/, and summary.md there. The server runs on
# loopback only and is always stopped on exit.
#
# Environment: BENCH_WARMUP [3s], BENCH_DURATION [10s] (tiny-clip), BENCH_VIT_DURATION [20s],
# BENCH_SERVER_WARMUP [15s], BENCH_MODELS [tiny-clip,vit-b-32], BENCH_PRECISIONS
# [float32,bfloat16,int8], BENCH_PORT [50561], BENCH_SKIP_BUILD=1 (use the jars already built).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work=bench/target/precision
results="$work/results"
server_jar=server/target/zeroshot-server.jar
client_jar=client-java/target/zeroshot-client.jar
warmup="${BENCH_WARMUP:-3s}"
server_warmup="${BENCH_SERVER_WARMUP:-15s}"
models="${BENCH_MODELS:-tiny-clip,vit-b-32}"
precisions="${BENCH_PRECISIONS:-float32,bfloat16,int8}"
port="${BENCH_PORT:-50561}"
target="127.0.0.1:$port"
images=models/tiny-clip/samples
labels="red star,blue circle,green square,sneaker,bag"
export DJL_OFFLINE=true

# log, build_jars, fresh_results DIR, start_server LOG MODEL_DIR [OPTION...], stop_server, and
# the traps that stop it on exit.
source bench/lib.sh

build_jars
fresh_results "$results"
grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_bf16|amx_bf16|avx512_vnni|avx_vnni|amx_int8)$' \
  | tr '\n' ' ' >>"$results/cpu.txt"

# model_dir MODEL PRECISION: the directory of that copy, made when missing.
model_dir() {
  local model="$1" precision="$2" base
  case "$model" in
    tiny-clip) base=models/tiny-clip ;;
    vit-b-32)
      base=bench/target/vit-b-32
      if [[ ! -f "$base/model.json" ]]; then
        log "vit-b-32: generating a ViT-B/32-sized model with random weights in $base"
        /usr/bin/python3 tools/clip/export.py --random ViT-B/32 --seed 0 --out "$base" >&2
      fi
      ;;
    *) log "unknown model '$model' (expected: tiny-clip or vit-b-32)"; exit 2 ;;
  esac
  if [[ "$precision" == float32 ]]; then
    echo "$base"
    return
  fi
  local dir="$work/$model-$precision"
  if [[ ! -f "$dir/model.json" ]]; then
    log "$model: making the $precision copy in $dir"
    /usr/bin/python3 tools/precision/convert.py --precision "$precision" --model-dir "$base" \
      --out "$dir" >&2
  fi
  echo "$dir"
}

client_bench() {
  java -jar "$client_jar" bench --target "$target" --metrics-url none --images "$images" \
    --labels "$labels" --template "a photo of a {}" --no-progress "$@"
}

IFS=, read -r -a model_list <<<"$models"
IFS=, read -r -a precision_list <<<"$precisions"
for model in "${model_list[@]}"; do
  duration="${BENCH_DURATION:-10s}"
  sweep=16,64
  if [[ "$model" != tiny-clip ]]; then
    duration="${BENCH_VIT_DURATION:-20s}"
    sweep=8,32
  fi
  reference="$(model_dir "$model" float32)"
  for precision in "${precision_list[@]}"; do
    dir="$(model_dir "$model" "$precision")"
    out="$results/$model-$precision"
    log "$model $precision: in-process, batch 1 and 8 (then the encoder's operator profile)"
    java -XX:MaxDirectMemorySize=1g -cp "$server_jar" zeroshot.server.bench.InProcessLimit \
      --model-dir "$dir" --images "$images" --batch-sizes 1,8 --warmup "$warmup" \
      --duration "$duration" --profile "$out.profile.json" >"$out.in-process.json"
    /usr/bin/python3 bench/profile_ops.py "$out.profile.json" --top 6 >"$out.profile.md"
    rm -f "$out.profile.json" # tens of MB; the table keeps what the notes quote
    log "$model $precision: served, closed loop at $sweep"
    start_server "$out.server.log" "$dir" --metrics-port -1
    client_bench --concurrency "${sweep##*,}" --initial-warmup 0 --warmup 1ms \
      --duration "$server_warmup" >/dev/null || true
    client_bench --mode closed --concurrency "$sweep" --initial-warmup 5s --warmup "$warmup" \
      --duration "$duration" --json "$out.saturation.json" >"$out.saturation.txt"
    half="$(/usr/bin/python3 -c 'import json,sys; print(round(max(s["throughput_per_s"] for s in json.load(open(sys.argv[1]))["steps"]) / 2, 1))' "$out.saturation.json")"
    log "$model $precision: open loop at $half/s (half of saturation)"
    client_bench --mode open --rate "$half" --initial-warmup 5s --warmup "$warmup" \
      --duration "$duration" --json "$out.half-load.json" >"$out.half-load.txt"
    stop_server
    if [[ "$precision" != float32 ]]; then
      log "$model $precision: embeddings against float32"
      java -XX:MaxDirectMemorySize=1g -cp "$server_jar" zeroshot.server.bench.EmbeddingAgreement \
        --reference "$reference" --model-dir "$dir" \
        --images "$images,tools/clip/tests/preprocess" >"$out.agreement.json" 2>"$out.agreement.log"
    fi
  done
  if [[ "$model" == tiny-clip ]]; then
    log "tiny-clip: accuracy per precision"
    dirs=()
    for precision in "${precision_list[@]}"; do dirs+=("$(model_dir tiny-clip "$precision")"); done
    /usr/bin/python3 tools/precision/tinyclip_accuracy.py "${dirs[@]}" >"$results/tiny-clip.accuracy.json"
  fi
done
/usr/bin/python3 bench/precision_summary.py "$results" | tee "$results/summary.md"
