-- wrk script: POST /process with a multipart upload; prints figures as one JSON line at the end.
-- The body file and optional API key come from the environment (DOCPROC_BENCH_BODY, _KEY).
local boundary = "docprocbenchboundary"
local f = assert(io.open(os.getenv("DOCPROC_BENCH_BODY"), "rb"))
local pdf = f:read("*all")
f:close()
wrk.method = "POST"
wrk.path = "/process"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
local key = os.getenv("DOCPROC_BENCH_KEY")
if key and key ~= "" then wrk.headers["X-API-Key"] = key end
wrk.body = "--" .. boundary .. "\r\n"
  .. "Content-Disposition: form-data; name=\"document_type\"\r\n\r\ngeneric\r\n"
  .. "--" .. boundary .. "\r\n"
  .. "Content-Disposition: form-data; name=\"file\"; filename=\"statement.pdf\"\r\n"
  .. "Content-Type: application/pdf\r\n\r\n" .. pdf .. "\r\n"
  .. "--" .. boundary .. "--\r\n"

function done(summary, latency, requests)
  local s = summary
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "rps": %.1f, "p50_ms": %.2f, "p90_ms": %.2f, '
    .. '"p99_ms": %.2f, "max_ms": %.2f, "non_2xx": %d, "socket_errors": %d}\n',
    s.requests, s.duration, s.requests / (s.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, s.errors.status,
    s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout))
end
