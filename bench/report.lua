-- wrk script: optional cache-busting parameter, and one machine-readable result line.
local bust = os.getenv("BENCH_BUST_CACHE") == "1"
-- A form POST: the body and a CSRF cookie matching its token.
local body = os.getenv("BENCH_POST_BODY") or ""
local csrf = os.getenv("BENCH_CSRF") or ""

request = function()
  local path = wrk.path
  if bust then
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "_essai=" .. math.random(1, 1000000000)
  end
  if body ~= "" then
    local headers = {}
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Cookie"] = "__Host-csrftoken=" .. csrf
    return wrk.format("POST", path, headers, body .. "&csrfmiddlewaretoken=" .. csrf)
  end
  return wrk.format(nil, path)
end

done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("RESULT %.2f %.3f %.3f %.3f %.3f %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, errors))
end
