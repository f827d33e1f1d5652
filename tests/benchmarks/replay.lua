-- wrk script: replay requests from a file (method, path, cookie, body; tab-separated),
-- each thread from its own place in the list, and print the summary as one JSON line.
-- Every request asks for compression as a phone's browser does (load.PHONE says the same).
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  lines = {}
  for line in io.lines(args[1]) do
    local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
    local headers = {["Accept-Encoding"] = "gzip, deflate, br"}
    if cookie ~= "" then headers["Cookie"] = cookie end
    if method == "POST" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
    table.insert(lines, wrk.format(method, path, headers, body ~= "" and body or nil))
  end
  position = id * math.floor(#lines / 4)
end

function request()
  position = position % #lines + 1
  return lines[position]
end

-- Answers of 400 and above by status, as "500=3,503=1" (a thread passes on only strings).
local by_status = {}
failed = ""

function response(status, headers, body)
  if status >= 400 then
    by_status[status] = (by_status[status] or 0) + 1
    local parts = {}
    for code, count in pairs(by_status) do table.insert(parts, code .. "=" .. count) end
    failed = table.concat(parts, ",")
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local statuses = {}
  for _, thread in ipairs(threads) do
    for code, count in string.gmatch(thread:get("failed") or "", "(%d+)=(%d+)") do
      statuses[code] = (statuses[code] or 0) + tonumber(count)
    end
  end
  local parts = {}
  for code, count in pairs(statuses) do table.insert(parts, '"' .. code .. '": ' .. count) end
  io.write(string.format(
    '{"requests": %d, "rps": %.2f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, ' ..
    '"errors": %d, "timeouts": %d, "bad_status": %d, "statuses": {%s}}\n',
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.timeout, e.status, table.concat(parts, ", ")))
end
