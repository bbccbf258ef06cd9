-- The wrk script of bench/race.sh: one fixed request.
--   wrk ... -s bench/race.lua URL -- METHOD [FORM_BODY] [AUTHORIZATION]
-- It has no response() function on purpose: with one, wrk hands every answer's headers and body
-- to Lua, which cost the load generator a tenth more CPU per request on this 2-core machine, CPU
-- the server under test then lacks. wrk counts the answers with a status of 400 or more itself
-- ("Non-2xx or 3xx responses"), and every scenario is checked for a 200 before it is measured.
function init(args)
  wrk.method = args[1] or "GET"
  if args[2] ~= nil and args[2] ~= "" then
    wrk.body = args[2]
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  if args[3] ~= nil and args[3] ~= "" then
    wrk.headers["Authorization"] = args[3]
  end
end
