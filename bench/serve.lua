-- wrk script for bench/serve.sh: POSTs one mail to /v1/check, stops each
-- thread after its share of NISE_BENCH_REQUESTS responses, and counts
-- every answer that is not "200 with a phishing verdict" as bad. wrk runs
-- for a duration, not a count: a thread that has its share writes
-- NISE_BENCH_DONE.ID, and bench/serve.sh then sends wrk SIGINT, which
-- ends the run early with the usual summary.
local f = assert(io.open(os.getenv("NISE_BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "message/rfc822"

local total = tonumber(os.getenv("NISE_BENCH_REQUESTS") or "10000")
local nthreads = tonumber(os.getenv("NISE_BENCH_THREADS") or "2")
local threads = {}

function setup(thread)
	thread:set("share", math.ceil(total / nthreads))
	thread:set("id", #threads + 1)
	table.insert(threads, thread)
end

function init(args)
	seen, bad = 0, 0
end

function response(status, headers, body)
	seen = seen + 1
	if status ~= 200 or not string.find(body, '"verdict":"phishing"', 1, true) then
		bad = bad + 1
	end
	if seen == share then
		local f = io.open(os.getenv("NISE_BENCH_DONE") .. "." .. id, "w")
		f:close()
		wrk.thread:stop()
	end
end

function done(summary, latency, requests)
	local seen_all, bad_all = 0, 0
	for _, t in ipairs(threads) do
		seen_all = seen_all + t:get("seen")
		bad_all = bad_all + t:get("bad")
	end
	local e = summary.errors
	io.write(string.format("requests %d\nchecked %d\nbad %d\nseconds %.3f\nrps %.1f\n",
		summary.requests, seen_all, bad_all, summary.duration / 1e6,
		summary.requests / (summary.duration / 1e6)))
	io.write(string.format("socket_errors %d\nnon2xx %d\n",
		e.connect + e.read + e.write + e.timeout, e.status))
	io.write(string.format("p50_ms %.2f\np90_ms %.2f\np99_ms %.2f\nmax_ms %.2f\n",
		latency:percentile(50) / 1000, latency:percentile(90) / 1000,
		latency:percentile(99) / 1000, latency.max / 1000))
end
