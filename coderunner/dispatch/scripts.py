"""The Redis side of the protocol: key names and the Lua scripts that keep each
step atomic (a script runs alone on the Redis server: no other client's command
interleaves). Layout, for prefix P and group "workers":

  P:jobs:<language>   stream of jobs (fields task, attempt, job); consumer group "workers".
                      An entry lives until its attempt ends (acked AND deleted), so
                      XLEN - pending = jobs no worker has taken yet.
  P:streams           set of the job streams ever used (the queue bound sums over them)
  P:live              hash task id -> "<stream>|<entry id>", every job in Redis not finished
  P:done:<task>       the attempt that finished first ("lost" = worker_lost); set once (NX)
  P:attempt:<task>    the attempt now running ("0" = none): events of any other are dropped
  P:cancel:<task>     set when a running task is cancelled: its worker stops the run
  P:results           stream of reports to the server (started, event, retried, finished);
                      consumer group "servers"
  P:workers           sorted set worker id -> last heartbeat
  P:worker:<id>       hash of one worker (id, host, slots, running, languages, lastSeen), with a TTL

A lease is the job entry's idle time in the pending entries list: the worker resets
it (XCLAIM to itself) every lease_s / 3; the reaper takes entries idle for lease_s
(XAUTOCLAIM). The scripts read the P:streams set, whose key they are not given:
fine on one Redis server (Redis Cluster is not supported).
"""

from __future__ import annotations

from dataclasses import dataclass, field

GROUP = "workers"
RESULTS_GROUP = "servers"
REAPER = "reaper"


@dataclass(frozen=True)
class Keys:
    """The key names under one prefix (the layout above)."""

    prefix: str
    # The keys of which there is one: P:<their name>.
    streams: str = field(init=False)
    live: str = field(init=False)
    results: str = field(init=False)
    workers: str = field(init=False)

    def __post_init__(self) -> None:
        for name in ("streams", "live", "results", "workers"):
            object.__setattr__(self, name, f"{self.prefix}:{name}")

    def stream(self, language: str) -> str:
        return f"{self.prefix}:jobs:{language}"

    def done(self, task_id: str) -> str:
        return f"{self.prefix}:done:{task_id}"

    def attempt(self, task_id: str) -> str:
        return f"{self.prefix}:attempt:{task_id}"

    def cancel(self, task_id: str) -> str:
        return f"{self.prefix}:cancel:{task_id}"

    def worker(self, worker_id: str) -> str:
        return f"{self.prefix}:worker:{worker_id}"


# Creates the group of a stream when missing (a Redis that lost its data gets
# them back with the first job).
_ENSURE_GROUP = """
local function ensure_group(stream, group)
  redis.pcall('XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM')
end
"""

# KEYS: stream, live, done, streams set.  ARGV: task, attempt, job json, max waiting
# (-1: no bound: a recovery), group.
# -> 1 queued, 0 already known (queued, running or finished: nothing done), -1 full.
PUBLISH = (
    _ENSURE_GROUP
    + """
if redis.call('EXISTS', KEYS[3]) == 1 or redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
  return 0
end
local bound = tonumber(ARGV[4])
if bound >= 0 then
  local waiting = 0
  for _, stream in ipairs(redis.call('SMEMBERS', KEYS[4])) do
    local n = redis.call('XLEN', stream)
    if n > 0 then
      local ok, pending = pcall(redis.call, 'XPENDING', stream, ARGV[5])
      if ok then n = n - pending[1] end
      waiting = waiting + n
    end
  end
  if waiting >= bound then return -1 end
end
ensure_group(KEYS[1], ARGV[5])
redis.call('SADD', KEYS[4], KEYS[1])
local id = redis.call('XADD', KEYS[1], '*', 'task', ARGV[1], 'attempt', ARGV[2], 'job', ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], KEYS[1] .. '|' .. id)
return 1
"""
)

# A worker read this entry: it starts unless an earlier attempt already finished.
# KEYS: stream, done, attempt, results.  ARGV: group, entry id, task, attempt, worker, ttl.
# -> 1 run it, 0 finished already (entry removed).
START = """
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
  redis.call('XDEL', KEYS[1], ARGV[2])
  return 0
end
redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[6])
redis.call('XADD', KEYS[4], '*', 'type', 'started', 'task', ARGV[3], 'attempt', ARGV[4],
           'worker', ARGV[5])
return 1
"""

# Renew the lease: only while the entry is still pending to this worker.
# KEYS: stream, done, cancel.  ARGV: group, entry id, consumer.
# -> 1 renewed, 0 taken away (reclaimed), -1 the task finished (another attempt won),
#    -2 renewed but the task is cancelled: stop it and report what it has.
RENEW = """
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1, ARGV[3])
if #p == 0 then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'JUSTID')
if redis.call('EXISTS', KEYS[3]) == 1 then return -2 end
return 1
"""

# A live event: passed on only from the attempt now running of an unfinished task.
# KEYS: done, attempt, results.  ARGV: task, attempt, type, data json.  -> 1 sent, 0 dropped.
EMIT = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end
redis.call('XADD', KEYS[3], '*', 'type', 'event', 'task', ARGV[1], 'attempt', ARGV[2],
           'event', ARGV[3], 'data', ARGV[4])
return 1
"""

# An attempt finished: the first one wins, a later duplicate changes nothing.
# KEYS: stream, done, live, results, attempt.
# ARGV: group, entry id, task, attempt, worker, outcome json, ttl.  -> 1 recorded, 0 too late.
FINISH = """
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
if not redis.call('SET', KEYS[2], ARGV[4], 'NX', 'EX', ARGV[7]) then return 0 end
redis.call('HDEL', KEYS[3], ARGV[3])
redis.call('DEL', KEYS[5])
redis.call('XADD', KEYS[4], '*', 'type', 'finished', 'task', ARGV[3], 'attempt', ARGV[4],
           'worker', ARGV[5], 'data', ARGV[6])
return 1
"""

# Put an entry pending to `consumer` back in the queue as a new entry: the reaper
# (expired lease: counts as an attempt), a worker restarting (its own entries of
# before: they count too) or one stopping (not counted). After max_attempts lost
# attempts the task is finished as worker_lost instead.
# A cancelled task is not run again: it finishes as cancelled.
# KEYS: stream, done, live, results, attempt, cancel.
# ARGV: group, entry id, consumer, max attempts, count (1|0), ttl, reason, lost outcome
# json, cancelled outcome json.
# -> 0 not pending to consumer (nothing done), 1 finished already (entry removed),
#    2 failed worker_lost (or cancelled), 3 queued again.
REQUEUE = """
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1, ARGV[3])
if #p == 0 then return 0 end
local e = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
if #e == 0 then return 1 end
local f = {}
local flat = e[1][2]
for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end
if redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
local attempt = tonumber(f['attempt'])
local cancelled = redis.call('EXISTS', KEYS[6]) == 1
if cancelled or (ARGV[5] == '1' and attempt >= tonumber(ARGV[4])) then
  redis.call('SET', KEYS[2], cancelled and 'cancelled' or 'lost', 'EX', ARGV[6])
  redis.call('HDEL', KEYS[3], f['task'])
  redis.call('DEL', KEYS[5])
  redis.call('XADD', KEYS[4], '*', 'type', 'finished', 'task', f['task'],
             'attempt', attempt, 'worker', '', 'data', cancelled and ARGV[9] or ARGV[8])
  return 2
end
if ARGV[5] == '1' then attempt = attempt + 1 end
redis.call('SET', KEYS[5], '0', 'EX', ARGV[6])
local id = redis.call('XADD', KEYS[1], '*', 'task', f['task'], 'attempt', attempt, 'job', f['job'])
redis.call('HSET', KEYS[3], f['task'], KEYS[1] .. '|' .. id)
redis.call('XADD', KEYS[4], '*', 'type', 'retried', 'task', f['task'], 'attempt', attempt,
           'reason', ARGV[7])
return 3
"""

# Cancel a task: a waiting job is removed (it never runs); a running one is flagged,
# and its worker stops it at its next renewal and reports what it has.
# KEYS: live, done, cancel.  ARGV: task, group, ttl.
# -> 0 finished already, -1 unknown to Redis, 1 removed before it ran, 2 running: flagged.
CANCEL = """
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local where = redis.call('HGET', KEYS[1], ARGV[1])
if not where then return -1 end
local sep = string.find(where, '|', 1, true)
local stream, id = string.sub(where, 1, sep - 1), string.sub(where, sep + 1)
local ok, p = pcall(redis.call, 'XPENDING', stream, ARGV[2], id, id, 1)
if ok and #p == 0 then
  redis.call('XDEL', stream, id)
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('SET', KEYS[2], 'cancelled', 'EX', ARGV[3])
  return 1
end
redis.call('SET', KEYS[3], '1', 'EX', ARGV[3])
return 2
"""
