# Sourced by the benchmark scripts (run-suite.sh, precision.sh, http-vs-grpc.sh): logging, the
# jars and a results folder, and one server at a time
# on loopback, started, waited for and always stopped on exit. The caller sets server_jar,
# client_jar, port and target before starting a server.

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# build_jars: the server and client jars, unless BENCH_SKIP_BUILD=1 (then the ones already built).
build_jars() {
  if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    log "building the server and client jars"
    mvn -B -q -o -pl server,client-java -am package -DskipTests -Dspotless.check.skip
  fi
}

# fresh_results DIR: DIR emptied, with the commit (commit.txt) and the CPU model (cpu.txt) that
# the figures it will hold were measured on.
fresh_results() {
  rm -rf "$1"
  mkdir -p "$1"
  git rev-parse HEAD >"$1/commit.txt"
  grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' >"$1/cpu.txt"
}

server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# start_server LOG MODEL_DIR [OPTION...]: starts the server on the CPU, its output in LOG, and
# waits until it is serving (exits the script if it dies or is not serving after 300 s).
start_server() {
  local server_log="$1" model_dir="$2"
  shift 2
  java -XX:MaxDirectMemorySize=1g ${JAVA_OPTS:-} -jar "$server_jar" --model-dir "$model_dir" \
    --host 127.0.0.1 --port "$port" --device cpu "$@" >"$server_log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      log "the server exited; see $server_log"
      tail -20 "$server_log" >&2
      exit 1
    fi
    if serving; then
      return 0
    fi
    sleep 0.5
  done
  log "the server was not SERVING after 300 s; see $server_log"
  exit 1
}

# serving: health SERVING (with python3-grpcio), else every model ready according to ListModels.
serving() {
  local rc=0
  /usr/bin/python3 bench/health.py "$target" || rc=$?
  if [[ $rc != 2 ]]; then
    return $rc
  fi
  java -jar "$client_jar" models --target "$target" --deadline 2s 2>/dev/null |
    awk 'NR > 1 { rows++; if ($NF != "yes") bad++ } END { exit !(rows > 0 && bad == 0) }'
}
