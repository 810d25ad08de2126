// Random small .cr models for differential testing of the two engines: a few processes over
// shared ints, a bool and a small array, with locks, atomic blocks, conditionals, choose,
// assume, assert, bounded loops, NULL (coalesce, is null, a local set to null), crashes, replicas
// that may crash, a
// process's body moved into a fn now and then, a token `self + 1` some processes put into a
// shared `owner` and take out again when it is still theirs (docs/semantics.md, "Symmetry"; a
// stream of its own), a shared variable of an enum's values that processes check and set (a
// stream of its own too), and properties.
// Seeded and self-contained (its own generator),
// so a seed names one model on every machine; a failing one is saved as a regression model.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "tests/unit/symbolic/seeded_random.h"

namespace racecheck::symbolic::testing {

class RandomModel {
 public:
  explicit RandomModel(uint64_t seed)
      : seed_(seed), random_(seed, 0x9E3779B97F4A7C15ULL, 1), crash_random_(CrashRandom(seed)),
        fn_random_(FnRandom(seed)), replica_random_(ReplicaRandom(seed)), token_random_(seed, 0x70CE5EEDULL, 17),
        phase_random_(seed, 0x9A5E5EEDULL, 29) {}

  std::string Text() {
    event_loop_ = Below(5) == 0;
    int shared_ints = 1 + Below(3);
    for (int i = 0; i < shared_ints; ++i) ints_.push_back(fmt::format("x{}", i));
    has_flag_ = Below(2) == 0;
    has_array_ = Below(3) == 0;
    array_lo_ = Below(2);
    has_ghost_ = Below(3) != 0;
    int locks = Below(4) == 0 ? 0 : 1 + Below(2);
    for (int i = 0; i < locks; ++i) locks_.push_back(fmt::format("m{}", i));

    std::string out = fmt::format("// A random model (tests/unit/symbolic/random_model.h), seed {}.\n", seed_);
    out += fmt::format("model random_{}\n", seed_);
    std::string replica_crash;
    std::string replicas = ReplicaClause(replica_random_, &replica_crash);
    out += fmt::format("runtime {}{}\n{}", event_loop_ ? "event_loop" : "threads", replicas, replica_crash);
    for (const std::string& x : ints_) out += fmt::format("shared {} = {}\n", x, Below(3));
    if (has_flag_) out += fmt::format("shared flag = {}\n", Below(2) == 0 ? "true" : "false");
    if (has_array_) {
      out += array_lo_ == 0 ? fmt::format("shared a[2] = {{{}, {}}}\n", Below(3), Below(3))
                            : fmt::format("shared a[1..2] = {{{}, {}}}\n", Below(3), Below(3));
    }
    if (has_ghost_) out += "ghost g = 0\n";
    for (const std::string& m : locks_) out += fmt::format("lock {}\n", m);
    has_lock_array_ = Below(3) == 0;
    if (has_lock_array_) out += "lock ms[2]\n";
    tokens_ = token_random_.Below(3) == 0;
    if (tokens_) out += "shared owner = 0\n";
    phases_ = phase_random_.Below(4) == 0;  // one in four: the shards' time in CI matters
    if (phases_) {
      static const char* const kStarts[] = {"idle", "busy", "done"};
      out += fmt::format("enum Phase {{ idle, busy, done }}\nshared phase = {}\n", kStarts[phase_random_.Below(3)]);
    }

    // Two instances mostly, three with shorter bodies now and then: the models stay small
    // enough that both engines answer in a fraction of a second.
    int processes = 1 + Below(2);
    int instances_left = Below(4) == 0 ? 3 : 2;
    body_ = instances_left == 3 ? 1 : 2;
    for (int p = 0; p < processes; ++p) {
      int count = 1 + Below(p + 1 == processes ? instances_left : std::min(2, instances_left - 1));
      instances_left -= count;
      out += Process(p, count);
      if (instances_left <= 0) break;
    }

    // Properties see no locals.
    scopes_.assign(1, Scope{});
    int properties = 1 + Below(2);
    for (int k = 0; k < properties; ++k) {
      const char* kind = Below(3) == 0 ? "final" : "invariant";
      // A loose bound holds more often than a random comparison: both outcomes stay common.
      std::string condition = Below(2) == 0 ? Condition(/*depth=*/1, /*property=*/true) : Bound();
      out += fmt::format("{} p{}: {}\n", kind, k, condition);
    }
    if (tokens_ && token_random_.Below(2) == 0) out += "final no_owner: owner == 0\n";
    if (phases_) out += PhaseProperty();
    if (Below(4) == 0) out += fmt::format("cover c0: {}\n", Condition(1, true));
    if (Below(6) == 0) out += "allow deadlock\n";
    return out;
  }

 private:
  struct Scope {
    std::vector<std::string> locals;
  };

  int Below(int n) { return random_.Below(n); }

  std::string Indent() const { return std::string(4 * depth_, ' '); }

  std::string Process(int p, int count) {
    scopes_.assign(1, Scope{});
    held_.clear();
    next_local_ = 0;
    loop_depth_ = 0;
    retry_depth_ = 0;
    in_atomic_ = false;
    std::string params;
    int kind = Below(3);
    if (kind == 1) {
      params = "(k = self)";
      scopes_.back().locals.push_back("k");
    } else if (kind == 2) {
      params = fmt::format("(k in 0..{})", 1 + Below(2));
      scopes_.back().locals.push_back("k");
    }
    std::string crash = CrashClause(crash_random_);
    // A process that does not crash anywhere may get crash points of its own.
    crash_points_ = crash.empty() && crash_random_.Below(3) == 0;
    std::string out = fmt::format("process P{}{}{}{} {{\n", p, count > 1 ? fmt::format("[{}]", count) : "", params,
                                  crash);
    depth_ = 1;
    std::string body = Block(body_ + Below(2));
    std::string take, release;
    TokenUse(&take, &release);
    PhaseUse(&take, &release);
    if (fn_random_.Below(3) != 0) return out + take + body + release + "}\n";
    // The same body as a fn the process calls: inlining must give the same steps, so both
    // engines must still agree; now and then it returns a value the caller adds to the ghost.
    bool has_k = !params.empty();
    bool returns = has_ghost_ && fn_random_.Below(2) == 0;
    if (returns) body += Indent() + "return " + IntExpr(1, false, /*allow_shared=*/false) + "\n";
    std::string fn = fmt::format("fn body{}({}) {{\n{}}}\n", p, has_k ? "k" : "", body);
    std::string call = fmt::format("body{}({})", p, has_k ? "k" : "");
    // Under the event loop a fn that waits (an await, a lock) is async: the call awaits it.
    bool waits = body.find("await") != std::string::npos || body.find("lock ") != std::string::npos ||
                 body.find("acquire ") != std::string::npos;
    if (event_loop_ && waits) call = "await " + call;
    return fn + out + take + Indent() + (returns ? "g += " : "") + call + "\n" + release + "}\n";
  }

  // Now and then the process takes `owner` with its token when it is free (0), and frees it
  // again only while it is still its own; in between, the body runs.
  void TokenUse(std::string* take, std::string* release) {
    if (!tokens_ || token_random_.Below(2) != 0) return;
    const std::string pad = Indent();
    *take = token_random_.Below(2) == 0 ? pad + "let tk = self + 1\n" : "";
    std::string token = take->empty() ? "self + 1" : "tk";
    std::string claim = fmt::format("if owner == 0 {{ owner = {} }}\n", token);
    bool locked = !locks_.empty() && token_random_.Below(2) == 0;
    *take += locked ? fmt::format("{}lock {} {{\n{}    {}{}}}\n", pad, locks_[0], pad, claim, pad) : pad + claim;
    std::string mine = fmt::format("owner == {}", token);
    if (has_ghost_ && token_random_.Below(2) == 0) {
      *release = fmt::format("{}if {} {{\n{}    g += 1\n{}    owner = 0\n{}}}\n", pad, mine, pad, pad, pad);
    } else {
      *release = fmt::format("{}if {} {{ owner = 0 }}\n", pad, mine);
    }
    if (token_random_.Below(3) == 0) *release += fmt::format("{}let seen = owner\n{}if seen != 0 and seen != {} {{ owner = seen }}\n", pad, pad, token);
  }

  // Now and then a check and a set of `phase` before or after the body: the check-then-act race
  // on a state, in a lock or an atomic block or bare.
  void PhaseUse(std::string* before, std::string* after) {
    if (!phases_ || phase_random_.Below(3) == 0) return;
    const std::string pad = Indent();
    std::string piece;
    switch (phase_random_.Below(5)) {
      case 0: piece = pad + "if phase == idle {\n" + pad + "    phase = busy\n" + pad + "}\n"; break;
      case 1: {
        std::string count = has_ghost_ ? pad + "        g += 1\n" : "";
        piece = pad + "atomic {\n" + pad + "    if phase != busy {\n" + pad + "        phase = busy\n" + count + pad +
                "    }\n" + pad + "}\n";
        break;
      }
      case 2:
        piece = pad + "let ph = phase\n" + pad + "if ph != done {\n" + pad + "    phase = done\n" + pad + "}\n";
        break;
      case 3: piece = pad + "phase = if phase == busy then done else idle\n"; break;
      default:
        if (!locks_.empty() && !event_loop_) {
          piece = fmt::format("{}lock {} {{\n{}    if phase == busy {{\n{}        phase = done\n{}    }}\n{}}}\n", pad,
                              locks_[0], pad, pad, pad, pad);
        } else {
          piece = pad + "if phase == busy {\n" + pad + "    phase = done\n" + pad + "}\n";
        }
    }
    if (phase_random_.Below(2) == 0) {
      *before = piece + *before;
    } else {
      *after += piece;
    }
  }

  std::string PhaseProperty() {
    switch (phase_random_.Below(4)) {
      case 0: return "final pp: phase != busy\n";
      case 1: return "invariant pp: phase != done or phase != busy\n";
      case 2: return "cover pp: phase == done\n";
      default: return has_ghost_ ? "invariant pp: g <= 1 or phase != busy\n" : "final pp: phase == done\n";
    }
  }

  std::string Block(int statements) {
    std::string out;
    for (int i = 0; i < statements; ++i) out += Statement();
    return out;
  }

  std::string Nested(const std::string& head, int statements) {
    std::string out = Indent() + head + " {\n";
    ++depth_;
    scopes_.push_back(Scope{});
    out += Block(statements);
    scopes_.pop_back();
    --depth_;
    return out + Indent() + "}";
  }

  std::string NewLocal() {
    std::string name = fmt::format("l{}", next_local_++);
    scopes_.back().locals.push_back(name);
    return name;
  }

  std::vector<std::string> Visible() const {
    std::vector<std::string> all;
    for (const Scope& s : scopes_) all.insert(all.end(), s.locals.begin(), s.locals.end());
    return all;
  }

  std::string Statement() {
    if (crash_points_ && !in_atomic_ && crash_random_.Below(4) == 0) return Indent() + "may crash\n" + Statement();
    bool nest = depth_ < 3;
    for (;;) {
      switch (Below(20)) {
        case 0:
        case 1: {
          std::string value = SharedRef();
          return Indent() + fmt::format("let {} = {}\n", NewLocal(), value);
        }
        case 2: {
          std::string value = IntExpr(2, true);
          return Indent() + fmt::format("let {} = {}\n", NewLocal(), value);
        }
        case 3:
        case 4: {
          const std::string& x = ints_[Below(static_cast<int>(ints_.size()))];
          if (Below(2) == 0) return Indent() + fmt::format("{} += {}\n", x, IntExpr(1, false));
          return Indent() + fmt::format("{} = {}\n", x, IntExpr(2, true));
        }
        case 5:
          if (has_array_) return Indent() + fmt::format("a[{}] = {}\n", Index(), IntExpr(1, true));
          if (has_flag_) return Indent() + fmt::format("flag = {}\n", Condition(1, false));
          continue;
        case 6:
          if (!has_ghost_) continue;
          return Indent() + fmt::format("g += {}\n", IntExpr(1, false, /*shared=*/false));
        case 7: {
          if (!nest) continue;
          std::string cond = Condition(2, false);
          std::string out = Nested("if " + cond, 1 + Below(2));
          if (Below(2) == 0) out += " else {\n" + ElseBody();
          return out + "\n";
        }
        case 8: {
          if (!nest || in_atomic_ || locks_.empty()) continue;
          const std::string& m = locks_[Below(static_cast<int>(locks_.size()))];
          if (std::find(held_.begin(), held_.end(), m) != held_.end()) continue;
          held_.push_back(m);
          ++blocks_open_;
          std::string out = Nested("lock " + m, 1 + Below(3)) + "\n";
          --blocks_open_;
          held_.pop_back();
          return out;
        }
        case 9: {
          if (!nest || in_atomic_) continue;
          in_atomic_ = true;
          ++blocks_open_;
          std::string out = Nested("atomic", 1 + Below(3)) + "\n";
          --blocks_open_;
          in_atomic_ = false;
          return out;
        }
        case 10:
          return Indent() + fmt::format("choose {} in 0..{}\n", NewLocal(), 1 + Below(2));
        case 11: {
          std::vector<std::string> locals = Visible();
          if (Below(3) != 0 || locals.empty()) return Indent() + fmt::format("assert {}\n", Condition(2, false));
          return Indent() + fmt::format("assume {} != {}\n", locals[Below(static_cast<int>(locals.size()))], Below(3));
        }
        case 12: {
          if (!nest || in_atomic_ || loop_depth_ > 0) continue;
          ++loop_depth_;
          int saved_open = blocks_open_;
          blocks_open_ = 0;
          ++retry_depth_;
          std::string body = Nested(fmt::format("retry at most {}", 1 + Below(2)), 1 + Below(2));
          --retry_depth_;
          blocks_open_ = saved_open;
          --loop_depth_;
          return body + "\n";
        }
        case 13: {
          if (!nest || in_atomic_ || loop_depth_ > 0) continue;
          // A counting loop: the engines see its bound through the constant.
          std::string i = NewLocal();
          std::string out = Indent() + fmt::format("let {} = 0\n", i);
          ++loop_depth_;
          int saved_open = blocks_open_;
          blocks_open_ = 0;
          out += Indent() + fmt::format("while {} < {} {{\n", i, 1 + Below(2));
          ++depth_;
          scopes_.push_back(Scope{});
          out += Block(1 + Below(2));
          out += Indent() + fmt::format("{} = {} + 1\n", i, i);
          scopes_.pop_back();
          --depth_;
          out += Indent() + "}\n";
          blocks_open_ = saved_open;
          --loop_depth_;
          return out;
        }
        case 15:
        case 16: {
          // Two locks, one inside the other, in either order: processes that nest them in
          // opposite orders can deadlock.
          if (!nest || in_atomic_ || locks_.size() < 2 || !held_.empty()) continue;
          int first = Below(static_cast<int>(locks_.size()));
          int second = (first + 1 + Below(static_cast<int>(locks_.size()) - 1)) % static_cast<int>(locks_.size());
          std::string out = Indent() + fmt::format("lock {} {{\n", locks_[first]);
          ++depth_;
          ++blocks_open_;
          held_ = {locks_[first], locks_[second]};
          scopes_.push_back(Scope{});
          out += Statement();
          out += Nested("lock " + locks_[second], 1) + "\n";
          scopes_.pop_back();
          held_.clear();
          --blocks_open_;
          --depth_;
          return out + Indent() + "}\n";
        }
        case 17: {
          // Both elements of a lock array, the own one first: instances take them in
          // opposite orders.
          if (!nest || in_atomic_ || !has_lock_array_ || !held_.empty()) continue;
          std::string out = Indent() + "lock ms[self % 2] {\n";
          ++depth_;
          ++blocks_open_;
          held_ = {"ms"};
          scopes_.push_back(Scope{});
          out += Statement();
          out += Nested("lock ms[(self + 1) % 2]", 1) + "\n";
          scopes_.pop_back();
          held_.clear();
          --blocks_open_;
          --depth_;
          return out + Indent() + "}\n";
        }
        case 18:
          // A lock the instance never gives back: whoever needs it next waits for ever.
          if (depth_ != 1 || locks_.empty() || !held_.empty() || Below(4) != 0) continue;
          return Indent() + fmt::format("acquire {}\n", locks_[Below(static_cast<int>(locks_.size()))]);
        case 19: {
          // NULL (issue 11): coalesce, and now and then a local set to null, which makes its
          // later arithmetic a runtime error in both engines.
          std::vector<std::string> locals = Visible();
          if (!locals.empty() && Below(4) == 0) {
            return Indent() + fmt::format("{} = null\n", locals[Below(static_cast<int>(locals.size()))]);
          }
          std::string first = Below(2) == 0 ? "null" : IntExpr(1, false);
          std::string value = IntExpr(1, false);
          return Indent() + fmt::format("let {} = coalesce({}, {})\n", NewLocal(), first, value);
        }
        case 14:
          if (event_loop_ && !in_atomic_) return Indent() + "await\n";
          if (retry_depth_ > 0 && blocks_open_ == 0) {
            return Indent() + fmt::format("if {} {{\n{}    {}\n{}}}\n", Condition(1, false), Indent(),
                                          Below(2) == 0 ? "continue" : "break", Indent());
          }
          continue;
      }
    }
  }

  std::string Bound() {
    std::string x = has_ghost_ && Below(3) == 0 ? "g" : SharedRef();
    int limit = 4 + 4 * Below(4);
    return Below(2) == 0 ? fmt::format("{} <= {}", x, limit) : fmt::format("{} >= -{}", x, limit);
  }

  std::string ElseBody() {
    ++depth_;
    scopes_.push_back(Scope{});
    std::string out = Block(1 + Below(2));
    scopes_.pop_back();
    --depth_;
    return out + Indent() + "}";
  }

  std::string SharedRef() {
    if (has_array_ && Below(3) == 0) return fmt::format("a[{}]", Index());
    return ints_[Below(static_cast<int>(ints_.size()))];
  }

  // An index that is usually in range.
  std::string Index() {
    std::vector<std::string> locals = Visible();
    if (!locals.empty() && Below(3) == 0) {
      return fmt::format("{} % 2 + {}", locals[Below(static_cast<int>(locals.size()))], array_lo_);
    }
    return std::to_string(array_lo_ + Below(Below(8) == 0 ? 3 : 2));
  }

  std::string Leaf(bool shared, bool property) {
    std::vector<std::string> locals = property ? std::vector<std::string>{} : Visible();
    int choice = Below(6);
    if (choice <= 1 || (locals.empty() && !shared && !property)) return std::to_string(Below(4));
    if (choice == 2 && !locals.empty()) return locals[Below(static_cast<int>(locals.size()))];
    if (property && has_ghost_ && choice == 5) return "g";
    if (shared || property) return SharedRef();
    if (!locals.empty()) return locals[Below(static_cast<int>(locals.size()))];
    return std::to_string(Below(4));
  }

  std::string IntExpr(int depth, bool shared, bool allow_shared = true, bool property = false) {
    shared = shared && allow_shared;
    if (depth == 0 || Below(3) == 0) return Leaf(shared, property);
    std::string a = IntExpr(depth - 1, shared, allow_shared, property);
    std::string b = IntExpr(depth - 1, shared, allow_shared, property);
    switch (Below(10)) {
      case 0: return fmt::format("({} - {})", a, b);
      // Products and quotients of two unknowns are rare: they make the solver work by bits.
      case 1: return fmt::format("{} * {}", a, Below(12) == 0 ? b : std::to_string(Below(3)));
      case 2: return Below(12) == 0 ? fmt::format("{} / ({} + 1)", a, b) : fmt::format("{} / 2", a);
      case 3: return fmt::format("min({}, {})", a, b);
      case 4: return fmt::format("max({}, {})", a, b);
      case 5: return fmt::format("abs({})", a);
      case 6: return fmt::format("{} % 3", a);
      default: return fmt::format("({} + {})", a, b);
    }
  }

  std::string Condition(int depth, bool property) {
    if (has_flag_ && Below(6) == 0) return Below(2) == 0 ? "flag" : "not flag";
    std::vector<std::string> locals = property ? std::vector<std::string>{} : Visible();
    if (!locals.empty() && Below(8) == 0) {
      return fmt::format("{} {}", locals[Below(static_cast<int>(locals.size()))],
                         Below(2) == 0 ? "is null" : "is not null");
    }
    if (depth > 1 && Below(4) == 0) {
      return fmt::format("({} {} {})", Condition(depth - 1, property), Below(2) == 0 ? "and" : "or",
                         Condition(depth - 1, property));
    }
    static const char* kCompare[] = {"==", "!=", "<", "<=", ">", ">="};
    std::string a = IntExpr(1, !property, true, property);
    std::string b = Below(2) == 0 ? std::to_string(Below(5)) : IntExpr(1, !property, true, property);
    return fmt::format("{} {} {}", a, kCompare[Below(6)], b);
  }

  uint64_t seed_;
  SeededRandom random_;
  SeededRandom crash_random_;
  SeededRandom fn_random_;
  SeededRandom replica_random_;
  SeededRandom token_random_;
  SeededRandom phase_random_;
  bool phases_ = false;
  bool tokens_ = false;
  bool crash_points_ = false;  // the process being generated gets `may crash` statements
  bool event_loop_ = false;
  std::vector<std::string> ints_;
  bool has_flag_ = false;
  bool has_array_ = false;
  int array_lo_ = 0;
  bool has_ghost_ = false;
  std::vector<std::string> locks_;
  bool has_lock_array_ = false;
  // Within the process being generated.
  std::vector<Scope> scopes_;
  std::vector<std::string> held_;
  int next_local_ = 0;
  int depth_ = 0;
  int loop_depth_ = 0;
  int retry_depth_ = 0;
  int blocks_open_ = 0;  // lock and atomic blocks open inside the innermost loop
  int body_ = 2;         // statements at the top of a process body, at least
  bool in_atomic_ = false;
};

}  // namespace racecheck::symbolic::testing
