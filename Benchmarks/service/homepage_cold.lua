-- Homepage widget with a cold cross-encoder cache (target b): every request is a NEW shopper
-- context. User ids come from USERS_FILE (one id a line: users with purchase history, so the
-- homepage reranks; built by run.sh from PostgreSQL). Each wrk thread takes a disjoint stride of
-- the file starting at USERS_OFFSET (run.sh moves the offset past every id used by earlier runs),
-- and never repeats an id. If a thread runs out of ids it stops issuing new ones (wrk then
-- repeats the last id; run.sh sizes the slice far above what a 30 s run can use).
local users = {}
local file = os.getenv("USERS_FILE") or "users.txt"
for line in io.lines(file) do users[#users + 1] = line end
local base = tonumber(os.getenv("USERS_OFFSET") or "0")
-- Every request asks explain=true and response() reads the rerank note
-- ("rerank: window W of R, H cached, S scored, ..."): done() reports how many requests had a full
-- window of 20 with 0 cached pairs, and how many had a smaller window, a cache hit, a shrink note
-- or no rerank note at all. Set EXPLAIN=0 to send plain requests (no check).
local explain = (os.getenv("EXPLAIN") or "1") ~= "0"
local counter = 0
local threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end
-- `tid` is a global set per thread by setup() (thread:set), so it must not be shadowed by a local.
local me, stride, n = 1, 1, 0
function init(args)
  me = tonumber(tid) or 1
  stride = tonumber(os.getenv("WRK_THREADS") or "1")
  n = 0
  full_cold, small_window, cached_hits, shrunk, no_note = 0, 0, 0, 0, 0
end
function response(status, headers, body)
  if not explain or status ~= 200 then return end
  local w, r, h = string.match(body, "rerank: window (%d+) of (%d+), (%d+) cached")
  if not w then no_note = no_note + 1; return end
  w, r, h = tonumber(w), tonumber(r), tonumber(h)
  if string.find(body, "window shrunk", 1, true) then shrunk = shrunk + 1 end
  if w < 20 or r < 20 then small_window = small_window + 1 end
  if h > 0 then cached_hits = cached_hits + 1 end
  if w >= 20 and h == 0 then full_cold = full_cold + 1 end
end
function request()
  local idx = base + me + n * stride
  if idx > #users then idx = #users end
  n = n + 1
  return wrk.format("GET", "/v1/recommendations/homepage?user_id=" .. users[idx] .. "&limit=10"
    .. (explain and "&explain=true" or ""))
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
  local t = {full_cold = 0, small_window = 0, cached_hits = 0, shrunk = 0, no_note = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (tonumber(thread:get(k)) or 0) end
  end
  io.write(string.format(
    'WRK_WINDOW {"explain":%s,"full_window_0_cached":%d,"window_below_20":%d,"with_cache_hits":%d,"shrunk":%d,"no_rerank_note":%d}\n',
    tostring(explain), t.full_cold, t.small_window, t.cached_hits, t.shrunk, t.no_note))
end
