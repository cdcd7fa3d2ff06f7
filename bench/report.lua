-- wrk script: optional cache-busting parameter, and one machine-readable result line.
local bust = os.getenv("BENCH_BUST_CACHE") == "1"
-- A form POST: the body and a CSRF cookie matching its token.
local body = os.getenv("BENCH_POST_BODY") or ""
local csrf = os.getenv("BENCH_CSRF") or ""

-- Every request on a new connection ("Connection: close"). Kept alive, wrk's connections
-- stay with the gunicorn worker that accepted them, and which worker wins each accept is a
-- race: in one run of the floor one worker had all 8 (8.2 s of CPU in 8 s, the other
-- none) and served 503 req/s, the next run 1,010; the results page gave 152, 366 and
-- 162 req/s in a row. Closed, the floor gave 888, 1,024 and 972 req/s and the results
-- page 324, 328 and 319 (2 CPUs, same server). A reverse proxy that opens a connection
-- per request (nginx's default towards its upstreams) spreads its load the same way.
request = function()
  local path = wrk.path
  if bust then
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "_essai=" .. math.random(1, 1000000000)
  end
  local headers = {}
  headers["Connection"] = "close"
  if body ~= "" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Cookie"] = "__Host-csrftoken=" .. csrf
    return wrk.format("POST", path, headers, body .. "&csrfmiddlewaretoken=" .. csrf)
  end
  return wrk.format(nil, path, headers)
end

done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("RESULT %.2f %.3f %.3f %.3f %.3f %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, errors))
end
