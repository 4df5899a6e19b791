-- wrk script: POST orders with unique Idempotency-Keys; counts 2xx as orders.
-- BENCH_MODE: "api" (full order JSON), "raw" (bare baseline endpoint), "last" (last units).
local mode = os.getenv("BENCH_MODE")
local key = os.getenv("BENCH_KEY")
local skus = {}
for s in string.gmatch(os.getenv("BENCH_SKUS"), "[^,]+") do table.insert(skus, s) end
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  ok, bad = 0, 0
  math.randomseed(os.time() + tid * 7919)
end

local function order_body(sku)
  return '{"customer":{"email":"bench' .. math.random(1, 5000) .. '@example.com","name":"Bench Shopper","phone":"0400 000 000"},'
    .. '"shipping_address":{"name":"Bench Shopper","street_address_1":"1 George St","city":"Sydney","country_area":"NSW","postal_code":"2000","country":"AU"},'
    .. '"lines":[{"sku":"' .. sku .. '","quantity":1}],"payment_method":"card","delivery_method":"courier"}'
end

function request()
  counter = counter + 1
  local sku = (mode == "last") and "LAST-UNITS" or skus[math.random(1, #skus)]
  local headers = {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json",
                   ["Idempotency-Key"] = "bench-" .. tid .. "-" .. counter .. "-" .. math.random(1, 1e9)}
  local body = (mode == "raw") and ('{"sku":"' .. sku .. '","quantity":1}') or order_body(sku)
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 elseif status >= 500 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_bad = 0, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_bad = total_bad + t:get("bad")
  end
  io.write(string.format(
    'BENCH_JSON {"ok":%d,"requests":%d,"errors":%d,"seconds":%.3f,"p50_ms":%.2f,"p95_ms":%.2f}\n',
    total_ok, summary.requests, total_bad + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout + summary.errors.status * 0,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
