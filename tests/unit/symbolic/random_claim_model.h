// Random small job-claim models for the differential test of symmetry with tokens in a table
// column (docs/semantics.md, "Symmetry"): workers write their id (`self + 10`, or `self`) into a nullable
// column, read it back (at the top of the process or inside an `if`), compare it with their own or another row's, claim with check-then-set,
// a conditional update, `for update` (skip locked, nowait) or `returning`, at every isolation
// level, with retries; the properties compare owners with NULL and with each other and count
// free jobs. Half of them keep worker ids in Redis too: a list of live workers (pushed, popped,
// moved to a busy list, removed by value) and a hash from job to worker (HSET, HGET). Most
// models keep interchangeable workers, so the explicit engine with symmetry is
// compared with the one without and with the z3 engine. Seeded and self-contained, like
// random_db_model.h.
#pragma once

#include <string>

#include "fmt/format.h"
#include "tests/unit/symbolic/seeded_random.h"

namespace racecheck::symbolic::testing {

class RandomClaimModel {
 public:
  explicit RandomClaimModel(uint64_t seed) : seed_(seed), random_(seed, 0x5CA1AB1E0DDBA11ULL, 3) {}

  std::string Text() {
    std::string out = fmt::format("// A random job-claim model (tests/unit/symbolic/random_claim_model.h), seed {}.\n", seed_);
    out += fmt::format("model random_claim_{}\n", seed_);
    out += Below(4) == 0 ? "runtime event_loop\n" : "runtime threads\n";
    // Ids 10 and up: no key, count or other constant of the model is a worker's id (but `self` itself, below).
    out += fmt::format("table jobs(id key, owner null) {{ (1, {}), (2, null) }}\n", Below(4) == 0 ? "99" : "null");
    has_redis_ = Below(2) == 0;
    if (has_redis_) out += "redis { live: list(3), busy: list(3), owner: hash(2) }\n";
    // A third of those without Redis write `self` itself (c = 0, instance 0's id is the 0 every
    // local starts with): renamed only where their lets have run (ir::AssignedAt). Redis lists
    // and hashes hold 0 in unused places, so with Redis the ids stay `self + 10`.
    bool self_itself = !has_redis_ && Below(3) == 0;
    out += "ghost runs = 0\nghost odd = 0\n";
    // Small enough for the z3 engine to answer most of them within the test's limit.
    out += fmt::format("process W[{}] {{\n", Below(6) == 0 ? 3 : 2);
    depth_ = 1;
    int units = Below(3) == 0 ? 2 : 1;
    for (int i = 0; i < units; ++i) out += Unit();
    out += "}\n";
    out += Property();
    if (Below(2) == 0) out += "allow failure\n";
    if (Below(4) == 0) out += "allow deadlock\n";
    for (size_t at = out.find("self + 10"); self_itself && at != std::string::npos; at = out.find("self + 10", at)) {
      out.replace(at, 9, "self");
    }
    return out;
  }

 private:
  int Below(int n) { return random_.Below(n); }
  std::string Pad() const { return std::string(4 * depth_, ' '); }
  std::string Job() { return Below(3) == 0 ? "2" : "1"; }
  std::string Local() { return fmt::format("o{}", next_local_++); }

  std::string Unit() {
    static const char* const kLevels[] = {"", " isolation repeatable_read", " isolation serializable"};
    if (Below(3) == 0) return Claim();
    std::string out = Pad() + "transaction" + kLevels[Below(3)] + " {\n";
    ++depth_;
    out += Claim();
    if (Below(3) == 0) out += Claim();
    --depth_;
    out += Pad() + "}";
    switch (Below(4)) {
      case 0: out += " on failure retry at most 1"; break;
      case 1: out += " on failure {\n" + Pad() + "    odd += 1\n" + Pad() + "}"; break;
      default: break;
    }
    return out + "\n";
  }

  // One way to claim a job (or look at who has it).
  std::string Claim() {
    std::string job = Job();
    std::string out;
    if (has_redis_ && Below(3) == 0) return RedisClaim(job);
    switch (Below(6)) {
      case 0: {  // check, then set: the race
        std::string o = Local();
        out += Pad() + fmt::format("let {} = select owner from jobs where id = {}\n", o, job);
        out += Pad() + fmt::format("if {} is null {{\n", o);
        out += Pad() + fmt::format("    update jobs set owner = self + 10 where id = {}\n", job);
        out += Pad() + "    runs += 1\n" + Pad() + "}\n";
        break;
      }
      case 1: {  // the conditional update, its count looked at
        std::string n = Local();
        out += Pad() + fmt::format("let {} = update jobs set owner = self + 10 where id = {} and owner is null\n", n, job);
        out += Pad() + fmt::format("if {} == 1 {{\n", n) + Pad() + "    runs += 1\n" + Pad() + "}\n";
        break;
      }
      case 2: {  // lock the first free job
        static const char* const kWaits[] = {"", " skip locked", " nowait"};
        std::string j = Local();
        out += Pad() + fmt::format("let {} = select id from jobs where owner is null order by id limit 1 for update{}\n", j,
                                   kWaits[Below(3)]);
        out += Pad() + fmt::format("if {} != null {{\n", j);
        out += Pad() + fmt::format("    update jobs set owner = self + 10 where id = {}\n", j);
        if (Below(2) == 0) {
          // Read back inside the `if`: past it, the local is out of its scope on one path and
          // never declared on the other (ir::kDeadHere, with `self` itself).
          std::string m = Local();
          out += Pad() + fmt::format("    let {} = select owner from jobs where id = {}\n", m, j);
          out += Pad() + fmt::format("    if {} != self + 10 {{\n", m) + Pad() + "        odd += 1\n" + Pad() + "    }\n";
        }
        out += Pad() + "    runs += 1\n" + Pad() + "}\n";
        break;
      }
      case 3: {  // returning: whose id is there now
        std::string w = Local();
        out += Pad() + fmt::format("let {} = update jobs set owner = self + 10 where id = {} and owner is null returning owner\n",
                                   w, job);
        out += Pad() + fmt::format("if {} == self + 10 {{\n", w) + Pad() + "    runs += 1\n" + Pad() + "}\n";
        break;
      }
      case 4: {  // read back: is it still mine?
        std::string o = Local();
        out += Pad() + fmt::format("let {} = select owner from jobs where id = {}\n", o, job);
        out += Pad() + fmt::format("if {} != self + 10 and {} is not null {{\n", o, o) + Pad() + "    odd += 1\n" + Pad() + "}\n";
        break;
      }
      default: {  // copy one row's owner to the other, or release mine
        if (Below(2) == 0) {
          std::string o = Local();
          out += Pad() + fmt::format("let {} = select owner from jobs where id = 1\n", o);
          out += Pad() + fmt::format("update jobs set owner = {} where id = 2\n", o);
        } else {
          out += Pad() + fmt::format("update jobs set owner = null where id = {} and owner = self + 10\n", job);
        }
        break;
      }
    }
    return out;
  }

  // Worker ids in Redis: registered in a list, moved, removed by value; a job's owner in a hash.
  std::string RedisClaim(const std::string& job) {
    std::string out;
    switch (Below(5)) {
      case 0: return Pad() + fmt::format("redis.{}(live, self + 10)\n", Below(2) == 0 ? "RPUSH" : "LPUSH");
      case 1: {
        std::string w = Local();
        out += Pad() + fmt::format("let {} = redis.LMOVE(live, busy, {}, RIGHT)\n", w, Below(2) == 0 ? "LEFT" : "RIGHT");
        return out + Pad() + fmt::format("if {} == self + 10 {{\n", w) + Pad() + "    runs += 1\n" + Pad() + "}\n";
      }
      case 2: return Pad() + fmt::format("redis.LREM({}, {}, self + 10)\n", Below(2) == 0 ? "live" : "busy", Below(3) - 1);
      case 3: {
        std::string o = Local();
        out += Pad() + fmt::format("let {} = redis.HGET(owner, {})\n", o, job);
        out += Pad() + fmt::format("if {} == null {{\n", o);
        out += Pad() + fmt::format("    redis.HSET(owner, {}, self + 10)\n", job);
        return out + Pad() + "    runs += 1\n" + Pad() + "}\n";
      }
      default: {
        std::string w = Local();
        out += Pad() + fmt::format("let {} = redis.{}(live)\n", w, Below(2) == 0 ? "LPOP" : "RPOP");
        return out + Pad() + fmt::format("if {} != null and {} != self + 10 {{\n", w, w) + Pad() + "    odd += 1\n" + Pad() + "}\n";
      }
    }
  }

  std::string Property() {
    if (has_redis_ && Below(3) == 0) {
      switch (Below(3)) {
        case 0: return "final p: hget(redis.owner, 1) is null or not contains(redis.busy, hget(redis.owner, 1))\n";
        case 1: return "invariant p: len(redis.live) <= 2\n";
        default: return fmt::format("final p: hget(redis.owner, {}) is null or runs >= 1\n", Job());
      }
    }
    const char* kind = Below(3) == 0 ? "final" : "invariant";
    switch (Below(5)) {
      case 0: return fmt::format("{} p: runs <= {}\n", kind, 1 + Below(2));
      case 1: return fmt::format("{} p: odd == 0\n", kind);
      case 2: return fmt::format("{} p: jobs[1].owner is null or jobs[2].owner is null or jobs[1].owner != jobs[2].owner\n",
                                 kind);
      case 3: return fmt::format("{} p: count(jobs where owner is null) >= {}\n", kind, Below(2));
      default: return fmt::format("{} p: runs <= 1 or jobs[{}].owner is not null\n", kind, Job());
    }
  }

  uint64_t seed_;
  SeededRandom random_;
  int depth_ = 1;
  bool has_redis_ = false;
  int next_local_ = 0;
};

}  // namespace racecheck::symbolic::testing
