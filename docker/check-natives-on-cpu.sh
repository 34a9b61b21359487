#!/usr/bin/env bash
# Checks, on a machine without Docker or a GPU, what the GPU image does with its natives: unpacks
# them with docker/unpack-natives.sh into a fresh cache, makes it read-only, and starts the server
# as an unprivileged user with the image's environment (DJL_OFFLINE, DJL_CACHE_DIR,
# PYTORCH_LIBRARY_PATH, PYTORCH_FLAVOR=cu124). A stand-in for the NVIDIA driver (libcuda.so.1,
# every call answering "no device") lets libtorch cu124 load; the server then serves on the CPU.
# Passes when the server becomes SERVING, classifies an image, and has loaded libtorch_cuda.so from
# the unpacked cache without writing to it. It cannot check the GPU itself.
#
#   mvn -B -Pcuda -pl server,client-java -am package -DskipTests   # resolves the 2.4 GB cu124 jar
#   docker/check-natives-on-cpu.sh
#
# Needs gcc and nm (binutils); run as root, the server runs as nobody (setpriv).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
server_jar="$root/server/target/zeroshot-server.jar"
client_jar="$root/client-java/target/zeroshot-client.jar"
port="${CHECK_PORT:-50591}"
metrics_port="${CHECK_METRICS_PORT:-9591}"

work="$(mktemp -d)"
chmod 755 "$work"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cache="$work/djl-cache"
docker/unpack-natives.sh "${M2_REPOSITORY:-$HOME/.m2/repository}" "$server_jar" "$cache"
cp -r models/tiny-clip "$work/model"
chmod -R a+rX,a-w "$cache" "$work/model"
before="$(find "$cache" -type f | sort | xargs sha256sum | sha256sum)"

# The driver stand-in: every driver function libtorch cu124 links against returns 100
# (CUDA_ERROR_NO_DEVICE). The real one comes from the host through the NVIDIA container toolkit.
mkdir "$work/driver"
for lib in "$cache"/pytorch/cu124/*.so*; do nm -D --undefined-only "$lib" 2>/dev/null; done |
  awk '{ sub(/@.*/, "", $2); if ($2 ~ /^cu[A-Z]/) print $2 }' | sort -u |
  awk '{ print "int " $1 "(void) { return 100; }" }' >"$work/driver/stub.c"
gcc -shared -fPIC -Wl,-soname,libcuda.so.1 -o "$work/driver/libcuda.so.1" "$work/driver/stub.c"
chmod -R a+rX "$work/driver"

env -i PATH=/usr/bin:/bin HOME=/nonexistent LD_LIBRARY_PATH="$work/driver" \
  DJL_OFFLINE=true DJL_CACHE_DIR="$cache" PYTORCH_LIBRARY_PATH="$cache/pytorch/cu124" \
  PYTORCH_FLAVOR=cu124 ZEROSHOT_MODEL_DIR="$work/model" \
  setpriv --reuid=65534 --regid=65534 --clear-groups \
  java -XX:MaxDirectMemorySize=1g -jar "$server_jar" --host 127.0.0.1 --port "$port" \
  --metrics-port "$metrics_port" --device auto >"$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 120); do
  if java -jar "$client_jar" models --target "127.0.0.1:$port" --deadline 2s 2>/dev/null |
    awk 'NR > 1 && $NF == "yes" { ok = 1 } END { exit !ok }'; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "FAIL: the server exited:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 1
done

java -jar "$client_jar" classify --target "127.0.0.1:$port" --labels "red star,blue circle,green square" \
  --image models/tiny-clip/samples/shape_013_red_star.png | tee "$work/classify.txt"
if ! awk '$1 == "1" { exit !($2 == "red" && $3 == "star") }' "$work/classify.txt"; then
  echo "FAIL: the red star was not classified as one" >&2
  exit 1
fi
if ! grep -q "$cache/pytorch/cu124/libtorch_cuda.so" "/proc/$server_pid/maps" 2>/dev/null; then
  # setpriv execs java, so the pid is the JVM's.
  echo "FAIL: libtorch_cuda.so from $cache was not loaded" >&2
  exit 1
fi
curl -s "http://127.0.0.1:$metrics_port/metrics" | grep '^zeroshot_model_ready'
after="$(find "$cache" -type f | sort | xargs sha256sum | sha256sum)"
if [[ "$before" != "$after" ]]; then
  echo "FAIL: the cache changed" >&2
  exit 1
fi
grep -E "loaded on|ready on" "$work/server.log"
echo "OK: libtorch cu124 loaded from the read-only unpacked cache, offline, as nobody; served on the CPU"
