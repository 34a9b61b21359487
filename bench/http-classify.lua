-- wrk script for bench/http-vs-grpc.sh: POST /v1/classify with the bodies of the file named by
-- the environment variable BODIES (one ClassifyRequest in the proto3 JSON mapping per line: the
-- image in base64), each connection sending them in turn; at the end, one JSON line with the
-- figures the summary reads (latencies in ms).
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do
  bodies[#bodies + 1] = line
end
local next_body = 0

function request()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/v1/classify", {["Content-Type"] = "application/json"},
    bodies[next_body])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "throughput_per_s": %.2f, "socket_errors": %d, ' ..
    '"non_2xx": %d, "ok_per_s": %.2f, "latency_ms": {"p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f}}\n',
    summary.requests, seconds, summary.requests / seconds,
    e.connect + e.read + e.write + e.timeout, e.status, (summary.requests - e.status) / seconds,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3))
end
