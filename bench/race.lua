-- The wrk script of bench/race.sh: one fixed request, and a count of the answers that are not 2xx.
--   wrk ... -s bench/race.lua URL -- METHOD [FORM_BODY] [AUTHORIZATION]
-- Each wrk thread has its own Lua state: the counts are summed over the threads in done().
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  wrk.method = args[1] or "GET"
  if args[2] ~= nil and args[2] ~= "" then
    wrk.body = args[2]
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  if args[3] ~= nil and args[3] ~= "" then
    wrk.headers["Authorization"] = args[3]
  end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local n = 0
  for _, thread in ipairs(threads) do
    n = n + thread:get("non2xx")
  end
  io.write(string.format("race: non2xx=%d\n", n))
end
