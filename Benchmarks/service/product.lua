-- Product page widget, cross-encoder scores cached (target a).
-- Cycles over 200 fixed (product, user) pairs; run.sh requests each once (curl) as a warm-up so every
-- (context, product) logit is in Redis, then measure with the same script.
-- Pairs are deterministic: product (i*37 mod 10000)+1, user (i*211 mod 50000)+1, i = 1..200 (the
-- demo shop's ids), or the paths in PATHS_FILE, one a line (run.sh `paths`, for other data such
-- as the Online Retail import).
local pairs_ = {}
local paths_file = os.getenv("PATHS_FILE")
if paths_file and paths_file ~= "" then
  for line in io.lines(paths_file) do pairs_[#pairs_ + 1] = line end
else
  for i = 1, 200 do
    local p = (i * 37) % 10000 + 1
    local u = (i * 211) % 50000 + 1
    pairs_[i] = string.format("/v1/recommendations/product/P%06d?user_id=U%06d", p, u)
  end
end
local n = 0
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 97)
end
function init(args)
  n = tonumber(offset or 0) or 0
end
function request()
  n = n + 1
  return wrk.format("GET", pairs_[(n % #pairs_) + 1])
end

-- One JSON line with the percentiles wrk's --latency table lacks (p95), for run.sh to parse.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.2f,"p90_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,"non2xx":%d,"connect_err":%d,"read_err":%d,"write_err":%d,"timeout_err":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
