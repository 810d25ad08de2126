// Random small Redis models for differential testing of the two engines: leases that expire
// (SET NX PX), releases by DEL or by a compare-and-delete script, WATCH with MULTI/EXEC inside
// retry loops, read-modify-write with GET and SET, counters, XX sets, SET's GET and KEEPTTL,
// TTL/PTTL of a key without a lease, EXISTS, EXPIRE, PEXPIRE, PERSIST and GETDEL on the lease,
// keys that read NULL when absent, now and then an array of instances (Redlock's shape), and now
// and then two small lists used as a queue (pushes, pops, LREM, LMOVE, RPOPLPUSH, blocking pops,
// inside scripts too), now and then a key family `f[2]` whose members commands name by self or
// a local, and now and then time: pieces inside `takes 0..T` blocks, some with a `pause`, so
// leases last their time to live, and TTL/PTTL of the lease (each drawn from a stream of its own,
// so a seed keeps the rest of its model with or without it), and now and then a hash and a set
// (HSET, HSETNX, HINCRBY, HGET then HSET, HDEL, HEXISTS, HLEN, SADD, SREM, SISMEMBER, SCARD,
// alone, in scripts and in multi blocks, on a set family's members too; a stream of its own as
// well), and now and then a command on the right of `and`/`or` or in coalesce's second argument,
// which runs only when needed (a stream of its own), and now and then a loop inside a takes block
// that waits and writes (a counter semaphore's spin, a toggled heartbeat, a spin lock's try with
// an undone INCR) or a counted loop of one step a round, for the engines' waiting probes (a stream
// of its own), and now and then a key of enum values that starts absent (`st: Phase`, claimed
// with SET NX or by GET then SET, moved on, deleted, and logged in a `list(2) of Phase`; a stream
// of its own). Properties look at keys and a ghost counter. Seeded
// and self-contained, like random_db_model.h, so a seed names one model on every machine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "tests/unit/symbolic/seeded_random.h"

namespace racecheck::symbolic::testing {

class RandomRedisModel {
 public:
  explicit RandomRedisModel(uint64_t seed)
      : seed_(seed),
        random_(seed, 0x9E3779B97F4A7C15ULL, 11),
        crash_random_(CrashRandom(seed)),
        time_random_(seed, 0x71AE5EEDULL, 5),
        family_random_(seed, 0xF4A1F4A1ULL, 3),
        replica_random_(ReplicaRandom(seed)),
        collection_random_(seed, 0xC0117EC7ULL, 7),
        logic_random_(seed, 0x5C5C5C5CULL, 13),
        poll_random_(seed, 0x9011AB1EULL, 17),
        phase_random_(seed, 0xE7E7E7E7ULL, 19) {}

  std::string Text() {
    std::string out = fmt::format("// A random Redis model (tests/unit/symbolic/random_redis_model.h), seed {}.\n", seed_);
    out += fmt::format("model random_redis_{}\n", seed_);
    const char* runtime = Below(4) == 0 ? "event_loop" : "threads";
    std::string replica_crash;
    std::string replicas = ReplicaClause(replica_random_, &replica_crash);
    out += fmt::format("runtime {}{}\n{}", runtime, replicas, replica_crash);
    int initial = Below(4);
    lists_ = Below(3) == 0;
    family_ = family_random_.Below(3) == 0;
    std::string family = !family_ ? "" : family_random_.Below(2) == 0 ? ", f[2] = 0" : ", f[1..2]";
    family_lo_ = family == ", f[1..2]" ? 1 : 0;
    collections_ = collection_random_.Below(3) == 0;
    std::string collections = !collections_ ? ""
                              : collection_random_.Below(2) == 0 ? ", h: hash(2) = {1: 1}, s: set(2), sf[2]: set(1)"
                                                                 : ", h: hash(2), s: set(2) = [2], sf[2]: set(1) = [1]";
    phases_ = phase_random_.Below(3) == 0;
    std::string phases;
    if (phases_) {
      out += "enum Phase { idle, running, done }\n";
      phases = phase_random_.Below(3) == 0 ? ", st: Phase = idle, plog: list(2) of Phase"
                                           : ", st: Phase, plog: list(2) of Phase";
    }
    out += fmt::format("redis {{ k = {}, lease{}{}{}{} }}\n", initial, lists_ ? ", q: list(2) = [1], r: list(2)" : "",
                       family, collections, phases);
    nodes_ = Below(4) == 0;
    if (nodes_) out += "redis nodes[2] { lease }\n";
    out += "ghost g = 0\n";
    // About one model in four is timed (its own generator: the rest of the model is what the seed
    // made before time existed).
    timed_ = time_random_.Below(4) == 0;

    // Two instances, now and then of two different processes.
    if (Below(3) == 0) {
      out += Process("P0", 1);
      out += Process("P1", 1);
    } else {
      out += Process("P0", 2);
    }

    int properties = 1 + Below(2);
    for (int k = 0; k < properties; ++k) out += Property(k);
    if (family_) out += FamilyProperty();
    if (collections_) out += CollectionProperty();
    if (phases_) out += PhaseProperty();
    return out;
  }

 private:
  int Below(int n) { return random_.Below(n); }
  std::string Pad() const { return std::string(4 * depth_, ' '); }
  // A line at the current depth.
  std::string Line(const std::string& text) const { return Pad() + text + "\n"; }

  std::string NewLocal() { return fmt::format("a{}", next_local_++); }

  std::string Process(const std::string& name, int count) {
    next_local_ = 0;
    depth_ = 1;
    std::string params = Below(3) == 0 ? fmt::format("(me = {})", 1 + Below(2)) : "(me = 1 + self)";
    std::string out = fmt::format("process {}{}{}{} {{\n", name, count > 1 ? fmt::format("[{}]", count) : "", params,
                                  CrashClause(crash_random_));
    int units = 1 + Below(2);
    for (int i = 0; i < units; ++i) {
      std::string unit = Unit();
      out += timed_ && time_random_.Below(3) != 0 ? Takes(unit) : unit;
    }
    if (logic_random_.Below(4) == 0) out += ShortCircuit();
    if (family_ && family_random_.Below(4) != 0) out += FamilyWork();
    if (collections_) {
      int pieces = 1 + collection_random_.Below(2);
      for (int i = 0; i < pieces; ++i) out += CollectionWork();
    }
    if (phases_) {
      int pieces = 1 + phase_random_.Below(2);
      for (int i = 0; i < pieces; ++i) out += PhaseWork();
    }
    return out + "}\n";
  }

  // A top-level piece of a handler.
  std::string Unit() {
    if (lists_ && Below(2) == 0) return ListWork();
    switch (Below(nodes_ ? 7 : 6)) {
      case 0:
      case 1: return Lease();
      case 2: return Optimistic();
      case 3: return ReadModifyWrite();
      case 4: return Line(Command());
      case 5: return Script();
      default: return NodesLease();
    }
  }

  // A piece inside `takes 0..T { }`, now and then with a GC pause of up to P more.
  std::string Takes(const std::string& unit) {
    std::string out = Line(fmt::format("takes 0..{} {{", 5 * (1 + time_random_.Below(4))));
    if (time_random_.Below(2) == 0) out += Line(fmt::format("    pause 0..{}", 10 * (1 + time_random_.Below(3))));
    size_t at = 0;
    while (at < unit.size()) {
      size_t end = unit.find('\n', at);
      out += "    " + unit.substr(at, end - at + 1);
      at = end + 1;
    }
    if (poll_random_.Below(3) == 0) {
      depth_ += 1;
      out += PollLoop();
      depth_ -= 1;
    }
    // A timed model knows how much of a lease is left: PTTL in ms, TTL rounded to seconds.
    if (time_random_.Below(3) == 0) {
      bool seconds = time_random_.Below(2) == 0;
      out += Line(fmt::format("    if redis.{}(lease) {} {} {{", seconds ? "TTL" : "PTTL",
                              seconds ? "==" : ">", seconds ? time_random_.Below(2) : 5 * time_random_.Below(4)));
      out += Line("        g += 1");
      out += Line("    }");
    }
    return out + Line("}");
  }

  // A loop whose going on depends on others and whose rounds write (ir::ProbeSteps), or a counted
  // one of one step a round: each round leaves the keys as they were, or toggles one.
  std::string PollLoop() {
    switch (poll_random_.Below(4)) {
      case 0: return Line("while redis.INCR(k) != 1 {") + Line("    redis.DECR(k)") + Line("}") + Line("redis.DECR(k)");
      case 1: {
        std::string t = NewLocal();
        return Line(fmt::format("let {} = 0", t)) + Line(fmt::format("while redis.GET(k) > {} {{", 1 + poll_random_.Below(2))) +
               Line(fmt::format("    redis.SET(lease, {}, XX)", t)) + Line(fmt::format("    {} = 1 - {}", t, t)) + Line("}");
      }
      case 2:
        return Line("while not redis.SET(lease, me, NX, PX = 10) {") + Line("    redis.INCR(k)") +
               Line("    redis.DECR(k)") + Line("}") + Line("g += 1");
      default: {
        std::string i = NewLocal(), a = NewLocal();
        return Line(fmt::format("let {} = 0", i)) + Line(fmt::format("while {} < 2 {{", i)) +
               Line(fmt::format("    let {} = redis.GET(k)", a)) + Line(fmt::format("    {} += 1", i)) + Line("}");
      }
    }
  }

  // A command on the right of `and` or `or`, or in coalesce's second argument, which runs only
  // when the left does not decide (a stream of its own).
  std::string ShortCircuit() {
    int c = 1 + logic_random_.Below(2);
    const char* left[] = {"redis.EXISTS(lease)", "me == 1", "redis.GET(k) > 1"};
    const char* right[] = {"redis.INCR(k) > 1", "redis.SET(lease, me, NX, PX = 10)", "redis.DECRBY(k, 1) >= 0"};
    if (logic_random_.Below(4) == 0) {
      return Line(fmt::format("if coalesce(redis.GET(lease), redis.INCRBY(k, {})) > {} {{", c, c)) + Line("    g += 1") +
             Line("}");
    }
    const char* op = logic_random_.Below(2) == 0 ? "and" : "or";
    std::string condition = fmt::format("{} {} {}", left[logic_random_.Below(3)], op, right[logic_random_.Below(3)]);
    return Line(fmt::format("if {} {{", condition)) + Line(fmt::format("    g += {}", c)) + Line("}");
  }

  // A single command on `k` or `lease`, as a statement.
  std::string Command() {
    int c = 1 + Below(2);
    switch (Below(13)) {
      case 0: return "redis.INCR(k)";
      case 1: return fmt::format("redis.DECRBY(k, {})", c);
      case 2: return fmt::format("redis.SET(k, {}, XX)", c);
      case 3: return "redis.DEL(lease)";
      case 4: return fmt::format("redis.SET(lease, me, XX, PX = {})", 10 * c);
      case 5: return "redis.SET(lease, me)";  // drops the lease's time to live
      case 6: return fmt::format("if redis.EXISTS(lease) {{\n{}    g += {}\n{}}}", Pad(), c, Pad());
      // A renewal or a delete on a time (0: deletes), a lease taken away, a compare-and-delete race.
      // (A timed model counts EXPIRE's seconds as 1000 ms, past its limit: PEXPIRE there.)
      case 7: {
        const char* command = Below(2) == 0 && !timed_ ? "EXPIRE" : "PEXPIRE";
        return fmt::format("redis.{}(lease, {})", command, Below(3) == 0 ? 0 : 10 * c);
      }
      case 8:
        if (Below(2) == 0) return "redis.PERSIST(lease)";
        return fmt::format("if redis.GETDEL(lease) == me {{\n{}    g += 1\n{}}}", Pad(), Pad());
      // KEEPTTL keeps a lease that may then run out; GET answers the old value, set or not.
      case 9: return fmt::format("redis.SET(lease, me{}, KEEPTTL)", Below(2) == 0 ? ", XX" : "");
      case 10: {
        const char* flag = Below(3) == 0 ? ", NX" : Below(2) == 0 ? ", XX" : "";
        return fmt::format("if redis.SET(k, {}{}, GET) == null {{\n{}    g += 1\n{}}}", c, flag, Pad(), Pad());
      }
      // k never gets a lease, so its TTL is exact: -2 absent, -1 present.
      case 11: return fmt::format("if redis.{}(k) == -2 {{\n{}    g += 1\n{}}}", Below(2) == 0 ? "TTL" : "PTTL", Pad(), Pad());
      default: return fmt::format("redis.INCRBY(k, {})", c);
    }
  }

  // Take a lease with SET NX PX, work while (believing to be) holding it, release it.
  std::string Lease() {
    // SET NX GET answers null exactly when it took the key.
    std::string out = Below(4) == 0 ? Line(fmt::format("if redis.SET(lease, me, NX, GET, PX = {}) == null {{", 10 * (1 + Below(3))))
                                    : Line(fmt::format("if redis.SET(lease, me, NX, PX = {}) {{", 10 * (1 + Below(3))));
    ++depth_;
    out += Work();
    switch (Below(3)) {
      case 0: out += Line("redis.DEL(lease)"); break;
      case 1: out += CompareAndDelete("redis"); break;
      default: break;  // left to expire
    }
    --depth_;
    return out + Line("}");
  }

  // What a holder does: a read-modify-write of k, an increment, or both.
  std::string Work() {
    std::string out;
    if (Below(2) == 0) out += Line("g += 1");
    if (Below(2) == 0) {
      std::string b = NewLocal();
      out += Line(fmt::format("let {} = redis.GET(k)", b));
      out += Line(fmt::format("redis.SET(k, {} + 1)", b));
    } else {
      out += Line("redis.INCR(k)");
    }
    return out;
  }

  // Delete the lease only if it still holds our value: Redlock's release script.
  std::string CompareAndDelete(const std::string& instance) {
    std::string out = Line(instance + ".eval {");
    ++depth_;
    std::string h = NewLocal();
    out += Line(fmt::format("let {} = {}.GET(lease)", h, instance));
    out += Line(fmt::format("if {} == me {{", h));
    out += Line(fmt::format("    {}.DEL(lease)", instance));
    out += Line("}");
    --depth_;
    return out + Line("}");
  }

  // WATCH, GET, MULTI/EXEC with a retry on a refused EXEC.
  std::string Optimistic() {
    std::string out = Line(fmt::format("retry at most {} {{", 1 + Below(2)));
    ++depth_;
    const char* watched = Below(4) == 0 ? "lease" : "k";
    bool late = Below(5) == 0;  // WATCH after the read: the race stays
    std::string b = NewLocal();
    if (!late) out += Line(fmt::format("redis.WATCH({})", watched));
    out += Line(fmt::format("let {} = redis.GET(k)", b));
    if (late) out += Line(fmt::format("redis.WATCH({})", watched));
    if (Below(2) == 0) {
      out += Line(fmt::format("if {} < {} {{", b, 1 + Below(2)));
      out += Line("    break");
      out += Line("}");
    }
    std::string done = NewLocal();
    out += Line(fmt::format("let {} = redis.multi {{", done));
    out += Line(fmt::format("    redis.SET(k, {} {} 1)", b, Below(2) == 0 ? "-" : "+"));
    if (Below(3) == 0) out += Line("    redis.INCR(lease)");
    out += Line("}");
    out += Line(fmt::format("if not {} {{", done));
    out += Line("    continue");
    out += Line("}");
    out += Line("g += 1");
    --depth_;
    return out + Line("}");
  }

  // GET then SET from the process: the lost update Redis does not prevent.
  std::string ReadModifyWrite() {
    std::string b = NewLocal();
    std::string out = Line(fmt::format("let {} = redis.GET(k)", b));
    if (Below(2) == 0) out += Line("g += 1");
    return out + Line(fmt::format("redis.SET(k, {} + {})", b, 1 + Below(2)));
  }

  // A Lua script: check and act as one step.
  std::string Script() {
    std::string ok = NewLocal();
    std::string b = NewLocal();
    int c = 1 + Below(2);
    std::string out = Line(fmt::format("let {} = 0", ok));
    out += Line("redis.eval {");
    ++depth_;
    out += Line(fmt::format("let {} = redis.GET(k)", b));
    out += Line(fmt::format("if {} >= {} {{", b, c));
    out += Line(fmt::format("    redis.DECRBY(k, {})", c));
    out += Line(fmt::format("    {} = 1", ok));
    out += Line("}");
    --depth_;
    out += Line("}");
    return out + Line(fmt::format("g += {}", ok));
  }

  // A lease on each of two instances, Redlock's shape with a majority of two.
  std::string NodesLease() {
    std::string got = NewLocal();
    std::string out = Line(fmt::format("let {} = 0", got));
    for (int n = 0; n < 2; ++n) {
      out += Line(fmt::format("if nodes[{}].SET(lease, me, NX, PX = 30) {{", n));
      out += Line(fmt::format("    {} += 1", got));
      out += Line("}");
    }
    out += Line(fmt::format("if {} == 2 {{", got));
    ++depth_;
    out += Work();
    if (Below(2) == 0) {
      for (int n = 0; n < 2; ++n) out += CompareAndDelete(fmt::format("nodes[{}]", n));
    }
    --depth_;
    return out + Line("}");
  }

  // A list command; its result, when kept, goes to the ghost.
  std::string ListCommand() {
    const char* list = Below(2) == 0 ? "q" : "r";
    const char* other = list[0] == 'q' ? "r" : "q";
    const char* side[] = {"LEFT", "RIGHT"};
    switch (Below(10)) {
      case 0: return fmt::format("redis.LPUSH({}, me)", list);
      case 1: return fmt::format("redis.RPUSH({}, {})", list, 1 + Below(2));
      case 2: return fmt::format("redis.{}({})", Below(2) == 0 ? "LPOP" : "RPOP", list);
      case 3: return fmt::format("redis.LREM({}, {}, {})", list, Below(3) - 1, 1 + Below(2));
      case 4: return fmt::format("redis.RPOPLPUSH({}, {})", list, Below(3) == 0 ? list : other);
      case 5: return fmt::format("redis.{}({})", Below(2) == 0 ? "BLPOP" : "BRPOP", list);
      case 6: return fmt::format("redis.BLMOVE({}, {}, {}, {})", list, other, side[Below(2)], side[Below(2)]);
      default:
        return fmt::format("redis.LMOVE({}, {}, {}, {})", list, Below(4) == 0 ? list : other, side[Below(2)],
                           side[Below(2)]);
    }
  }

  // A queue step: a list command alone, its result tested, or two in a script.
  std::string ListWork() {
    switch (Below(4)) {
      case 0: {
        std::string j = NewLocal();
        std::string out = Line(fmt::format("let {} = {}", j, ListCommand()));
        return out + Line(fmt::format("if {} != null {{\n{}    g += 1\n{}}}", j, Pad(), Pad()));
      }
      case 1: {
        std::string n = NewLocal();
        return Line(fmt::format("let {} = redis.LLEN({})", n, Below(2) == 0 ? "q" : "r")) +
               Line(fmt::format("g += {}", n));
      }
      case 2: {
        std::string out = Line(Below(3) == 0 ? "redis.multi {" : "redis.eval {");
        ++depth_;
        out += Line(ListCommand());
        out += Line(ListCommand());
        --depth_;
        return out + Line("}");
      }
      default: return Line(ListCommand());
    }
  }

  // The member of `f` an index names: self, a local computed from it, or a constant (the
  // constant 2 is outside f[2], a runtime error).
  std::string Member() {
    switch (family_random_.Below(4)) {
      case 0: return fmt::format("f[self + {}]", family_lo_);
      case 1: {
        std::string i = NewLocal();
        extra_ += Line(fmt::format("let {} = {} - self", i, 1 + family_lo_));
        return fmt::format("f[{}]", i);
      }
      case 2: return fmt::format("f[{}]", family_lo_ + family_random_.Below(2));
      default: return fmt::format("f[{}]", family_lo_ + (family_random_.Below(6) == 0 ? 2 : 1));
    }
  }

  // Commands on members of the family: per-user counters and per-resource leases.
  std::string FamilyWork() {
    extra_.clear();
    std::string member = Member();
    std::string command;
    switch (family_random_.Below(6)) {
      case 0: command = Line(fmt::format("redis.INCR({})", member)); break;
      case 1: {
        std::string b = NewLocal();
        command = Line(fmt::format("let {} = coalesce(redis.GET({}), 0)", b, member)) +
                  Line(fmt::format("redis.SET({}, {} + 1)", member, b));
        break;
      }
      case 2:
        command = Line(fmt::format("if redis.SET({}, me, NX, PX = 30) {{", member)) + Line("    g += 1") +
                  Line(fmt::format("    redis.DEL({})", member)) + Line("}");
        break;
      case 3:
        command = Line("redis.eval {") + Line(fmt::format("    redis.INCRBY({}, 2)", member)) +
                  Line(fmt::format("    redis.DECR(f[{}])", family_lo_)) + Line("}");
        break;
      case 4: command = Line(fmt::format("redis.WATCH({})", member)) + Line(fmt::format("let {} = redis.multi {{", NewLocal())) +
                        Line(fmt::format("    redis.INCR({})", member)) + Line("}");
        break;
      default: command = Line(fmt::format("if redis.EXISTS({}) {{\n{}    g += 1\n{}}}", member, Pad(), Pad())); break;
    }
    return extra_ + command;
  }

  // A hash or set command (fields and members 1..3, so a bound of 2 can be exceeded).
  std::string CollectionCommand() {
    int x = 1 + collection_random_.Below(3);
    int v = collection_random_.Below(3);
    switch (collection_random_.Below(9)) {
      case 0: return fmt::format("redis.HSET(h, {}, {})", x, v);
      case 1: return fmt::format("redis.HSET(h, {}, {}, {}, {})", x, v, 1 + collection_random_.Below(3), v + 1);
      case 2: return fmt::format("redis.HINCRBY(h, {}, {})", x, v - 1);
      case 3: return fmt::format("redis.HDEL(h, {}{})", x, collection_random_.Below(2) == 0 ? ", 1" : "");
      case 4: return fmt::format("redis.HSETNX(h, {}, me)", x);
      case 5: return fmt::format("redis.SADD(s, {}{})", x, collection_random_.Below(2) == 0 ? ", me" : "");
      case 6: return fmt::format("redis.SREM(s, {})", x);
      case 7: return fmt::format("redis.SADD(sf[self], {})", x);
      default: return fmt::format("redis.SREM(sf[{}], 1)", collection_random_.Below(2));
    }
  }

  // A cart or idempotency step: a command alone, a check then an act, or two in a script.
  std::string CollectionWork() {
    switch (collection_random_.Below(7)) {
      case 0: {
        // HGET then HSET: the lost update.
        std::string q = NewLocal();
        return Line(fmt::format("let {} = coalesce(redis.HGET(h, 1), 0)", q)) +
               Line(fmt::format("redis.HSET(h, 1, {} + 1)", q));
      }
      case 1: {
        // SISMEMBER then SADD, or SADD's answer as the check.
        if (collection_random_.Below(2) == 0) {
          return Line("if not redis.SISMEMBER(s, me) {") + Line("    g += 1") + Line("    redis.SADD(s, me)") +
                 Line("}");
        }
        return Line("if redis.SADD(s, me) == 1 {") + Line("    g += 1") + Line("}");
      }
      case 2: {
        std::string n = NewLocal();
        const char* count = collection_random_.Below(2) == 0 ? "HLEN(h)" : "SCARD(s)";
        return Line(fmt::format("let {} = redis.{}", n, count)) + Line(fmt::format("g += {}", n));
      }
      case 3:
        return Line(fmt::format("if redis.{} {{", collection_random_.Below(2) == 0 ? "HEXISTS(h, 2)" : "HSETNX(h, 3, 1)")) +
               Line("    g += 1") + Line("}");
      case 4: {
        std::string out = Line(collection_random_.Below(3) == 0 ? "redis.multi {" : "redis.eval {");
        ++depth_;
        out += Line(CollectionCommand());
        out += Line(CollectionCommand());
        --depth_;
        return out + Line("}");
      }
      default: return Line(CollectionCommand());
    }
  }

  std::string CollectionProperty() {
    const char* kind = collection_random_.Below(3) == 0 ? "final" : "invariant";
    switch (collection_random_.Below(4)) {
      case 0: return fmt::format("{} pc: coalesce(hget(redis.h, 1), 0) <= {}\n", kind, 1 + collection_random_.Below(3));
      case 1: return fmt::format("{} pc: len(redis.s) + len(redis.h) <= {} or g > 0\n", kind, 1 + collection_random_.Below(3));
      case 2: return fmt::format("{} pc: g <= 1 or contains(redis.s, {})\n", kind, 1 + collection_random_.Below(2));
      default: return fmt::format("{} pc: not contains(redis.h, 2) or contains(redis.sf[0], 1)\n", kind);
    }
  }

  // A job's state key of enum values, absent at first or idle: claimed, moved on, deleted, logged.
  std::string PhaseWork() {
    std::string v = NewLocal();
    switch (phase_random_.Below(6)) {
      case 0:
        return Line("if redis.SET(st, running, NX) {") + Line("    g += 1") +
               Line("    redis.eval {") + Line("        if redis.LLEN(plog) < 2 {") +
               Line("            redis.RPUSH(plog, running)") + Line("        }") + Line("    }") +
               Line("    redis.SET(st, done)") + Line("}");
      case 1:
        // Check-then-set: the claim two requests may both make.
        return Line(fmt::format("let {} = redis.GET(st)", v)) + Line(fmt::format("if {} == null or {} == idle {{", v, v)) +
               Line("    redis.SET(st, running)") + Line("    g += 1") + Line("}");
      case 2:
        return Line(fmt::format("let {} = redis.GET(st)", v)) + Line(fmt::format("if {} == running {{", v)) +
               Line("    redis.SET(st, done)") + Line("}");
      case 3:
        return Line(fmt::format("let {} = redis.GETDEL(st)", v)) + Line(fmt::format("if {} == done {{", v)) +
               Line("    g += 1") + Line("}");
      case 4:
        if (phase_random_.Below(2) == 0) {
          return Line("redis.multi {") + Line("    redis.SET(st, idle)") + Line("    redis.LPOP(plog)") + Line("}");
        }
        return Line("redis.eval {") + Line("    if redis.SETNX(st, idle) and redis.LLEN(plog) < 2 {") +
               Line("        redis.LPUSH(plog, idle)") + Line("    }") + Line("}");
      default:
        return Line(fmt::format("let {} = redis.LPOP(plog)", v)) + Line(fmt::format("if {} != null {{", v)) +
               Line(fmt::format("    redis.SET(st, {})", v)) + Line("}");
    }
  }

  std::string PhaseProperty() {
    switch (phase_random_.Below(4)) {
      case 0: return "invariant pp: redis.st != running or g >= 1\n";
      case 1: return fmt::format("invariant pp: len(redis.plog) <= {}\n", 1 + phase_random_.Below(2));
      case 2: return "final pp: redis.st is null or redis.st == done or g == 0\n";
      default: return "cover pp: redis.st == done\n";
    }
  }

  std::string FamilyProperty() {
    std::string first = fmt::format("redis.f[{}]", family_lo_);
    std::string second = fmt::format("redis.f[{}]", family_lo_ + 1);
    switch (family_random_.Below(3)) {
      case 0: return fmt::format("invariant pf: coalesce({}, 0) + coalesce({}, 0) <= {}\n", first, second,
                                 1 + family_random_.Below(3));
      case 1: return fmt::format("final pf: {} is null or {} >= {}\n", second, second, family_random_.Below(2));
      default: return fmt::format("invariant pf: {} is null or has_ttl({}) or g < 2\n", first, first);
    }
  }

  std::string Property(int k) {
    if (lists_ && Below(2) == 0) {
      const char* kind = Below(3) == 0 ? "final" : "invariant";
      switch (Below(3)) {
        case 0: return fmt::format("{} p{}: len(redis.q) + len(redis.r) <= {}\n", kind, k, 1 + Below(3));
        case 1: return fmt::format("{} p{}: contains(redis.q, 1) or contains(redis.r, 1) or g > {}\n", kind, k, Below(2));
        default: return fmt::format("{} p{}: not contains(redis.r, {}) or len(redis.q) == {}\n", kind, k, 1 + Below(2), Below(2));
      }
    }
    const char* kind = Below(3) == 0 ? "final" : "invariant";
    std::string condition;
    switch (Below(nodes_ ? 6 : 5)) {
      case 0: condition = fmt::format("redis.k >= {}", Below(3)); break;
      case 1: condition = fmt::format("redis.k <= {}", 2 + Below(5)); break;
      case 2: condition = fmt::format("g <= {}", 1 + Below(3)); break;
      case 3: condition = fmt::format("redis.k + g >= {}", Below(5)); break;
      case 4: condition = fmt::format("redis.lease == null or g >= {}", Below(2)); break;
      default:
        condition = fmt::format("coalesce(nodes[0].lease, 0) + coalesce(nodes[1].lease, 0) <= {}", 2 + Below(2));
        break;
    }
    return fmt::format("{} p{}: {}\n", kind, k, condition);
  }

  uint64_t seed_;
  SeededRandom random_;
  SeededRandom crash_random_;
  SeededRandom time_random_;
  bool timed_ = false;
  bool nodes_ = false;
  bool lists_ = false;
  SeededRandom family_random_;
  bool family_ = false;
  SeededRandom replica_random_;
  int family_lo_ = 0;
  SeededRandom collection_random_;
  SeededRandom logic_random_;
  SeededRandom poll_random_;
  bool collections_ = false;
  SeededRandom phase_random_;
  bool phases_ = false;
  std::string extra_;  // lines a family member's index needs before its command
  int depth_ = 1;
  int next_local_ = 0;
};

}  // namespace racecheck::symbolic::testing
