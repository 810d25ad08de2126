// A fn call is its body copied to the call (docs/language.md, "Procedures"): a model with a
// helper and the same model with the helper's body written at the call get the same verdict and
// the same first violation from both engines, and, where the copy adds no local, the same
// states. Rounds 13 and 14 found calls dropped or reordered in some positions (a value-giving
// multi block, a compound assignment, an element's index); each position has a pair here.
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;

struct Forms {
  std::string written_out;  // the helper's body at the call
  std::string with_fn;      // the same code through a fn
};

// Both forms through both engines (which must agree), then against each other.
void ExpectSameOutcome(const Forms& forms, Verdict expected, bool same_states) {
  result::Report out = Agreed(forms.written_out);
  result::Report fn = Agreed(forms.with_fn);
  EXPECT_EQ(out.verdict, expected);
  EXPECT_EQ(fn.verdict, expected);
  ASSERT_EQ(out.violations.size(), fn.violations.size());
  if (!out.violations.empty()) {
    EXPECT_EQ(out.violations[0].message, fn.violations[0].message);
  }
  if (!same_states) return;
  explore::SearchOptions search;
  result::Report out_states = explore::Search(Must(forms.written_out), search);
  result::Report fn_states = explore::Search(Must(forms.with_fn), search);
  EXPECT_EQ(out_states.stats.states, fn_states.stats.states);
  EXPECT_EQ(out_states.stats.transitions, fn_states.stats.transitions);
}

TEST(FnInlining, InAMultiBlockWhoseAnswerIsKept) {
  ExpectSameOutcome({R"(
model out
redis { balance = 100 }
process W[2] {
    let b = redis.GET(balance)
    if b >= 80 {
        let done = redis.multi {
            redis.DECRBY(balance, 80)
        }
    }
}
invariant no_overdraft: redis.balance >= 0
)",
                     R"(
model with_fn
redis { balance = 100 }
fn debit(amount) {
    redis.DECRBY(balance, amount)
}
process W[2] {
    let b = redis.GET(balance)
    if b >= 80 {
        let done = redis.multi {
            debit(80)
        }
    }
}
invariant no_overdraft: redis.balance >= 0
)"},
                    Verdict::kViolation, /*same_states=*/false);
}

TEST(FnInlining, InAScript) {
  ExpectSameOutcome({R"(
model out
redis { balance = 100 }
process W[2] {
    redis.eval {
        let b = redis.GET(balance)
        if b >= 80 {
            redis.DECRBY(balance, 80)
        }
    }
}
invariant no_overdraft: redis.balance >= 0
)",
                     R"(
model with_fn
redis { balance = 100 }
fn checked_debit() {
    let b = redis.GET(balance)
    if b >= 80 {
        redis.DECRBY(balance, 80)
    }
}
process W[2] {
    redis.eval {
        checked_debit()
    }
}
invariant no_overdraft: redis.balance >= 0
)"},
                    Verdict::kSafe, /*same_states=*/true);
}

TEST(FnInlining, ACompoundAssignmentReadsItsTargetBeforeTheCall) {
  ExpectSameOutcome({R"(
model out
runtime event_loop
redis { price = 10 }
shared total = 0
process Request[2] {
    total += await redis.GET(price)
}
final both_counted: total == 20
)",
                     R"(
model with_fn
runtime event_loop
redis { price = 10 }
shared total = 0
fn fetch_price() {
    let p = await redis.GET(price)
    return p
}
process Request[2] {
    total += await fetch_price()
}
final both_counted: total == 20
)"},
                    Verdict::kViolation, /*same_states=*/false);
}

TEST(FnInlining, AnElementsIndexIsReadBeforeTheCall) {
  ExpectSameOutcome({R"(
model out
runtime event_loop
redis { v = 7 }
shared started = false
shared cur = 0
shared slot[2] = 0
process Writer {
    started = true
    slot[cur] = await redis.GET(v)
}
process Switch {
    if started {
        cur = 1
    }
}
invariant untouched: slot[1] == 0
)",
                     R"(
model with_fn
runtime event_loop
redis { v = 7 }
shared started = false
shared cur = 0
shared slot[2] = 0
fn fetch_value() {
    let x = await redis.GET(v)
    return x
}
process Writer {
    started = true
    slot[cur] = await fetch_value()
}
process Switch {
    if started {
        cur = 1
    }
}
invariant untouched: slot[1] == 0
)"},
                    Verdict::kSafe, /*same_states=*/false);
}

TEST(FnInlining, InATransactionAndItsFailureHandler) {
  ExpectSameOutcome({R"(
model out
table accounts(id key, balance) { (1, 100) }
ghost failed = 0
process W[2] {
    transaction isolation repeatable_read {
        let b = select balance from accounts where id = 1
        if b >= 80 {
            update accounts set balance = b - 80 where id = 1
        }
    } on failure {
        failed += 1
    }
}
invariant no_overdraft: accounts[1].balance >= 0
final one_failed: failed == 1
)",
                     R"(
model with_fn
table accounts(id key, balance) { (1, 100) }
ghost failed = 0
fn withdraw(amount) {
    let b = select balance from accounts where id = 1
    if b >= amount {
        update accounts set balance = b - amount where id = 1
    }
}
fn count_failure() {
    failed += 1
}
process W[2] {
    transaction isolation repeatable_read {
        withdraw(80)
    } on failure {
        count_failure()
    }
}
invariant no_overdraft: accounts[1].balance >= 0
final one_failed: failed == 1
)"},
                    Verdict::kViolation, /*same_states=*/false);
}

TEST(FnInlining, InAtomicAndLockBlocks) {
  ExpectSameOutcome({R"(
model out
lock mu
shared x = 0
shared y = 0
process P[2] {
    atomic {
        x = x + 1
    }
    lock mu {
        let v = y
        y = v + 1
    }
}
final counted: x == 2 and y == 2
)",
                     R"(
model with_fn
lock mu
shared x = 0
shared y = 0
fn bump_x() {
    x = x + 1
}
fn bump_y() {
    let v = y
    y = v + 1
}
process P[2] {
    atomic {
        bump_x()
    }
    lock mu {
        bump_y()
    }
}
final counted: x == 2 and y == 2
)"},
                    Verdict::kSafe, /*same_states=*/true);
}

TEST(FnInlining, InAForLoopOverRows) {
  ExpectSameOutcome({R"(
model out
table stock(id key, n) { (10, 2), (11, 2) }
process Sale[2] {
    transaction {
        for s in select id, n from stock where n > 0 order by id {
            update stock set n = s.n - 1 where id = s.id
        }
    }
}
final no_lost_update: stock[10].n == 0 and stock[11].n == 0
)",
                     R"(
model with_fn
table stock(id key, n) { (10, 2), (11, 2) }
fn sell(item, left) {
    update stock set n = left - 1 where id = item
}
process Sale[2] {
    transaction {
        for s in select id, n from stock where n > 0 order by id {
            sell(s.id, s.n)
        }
    }
}
final no_lost_update: stock[10].n == 0 and stock[11].n == 0
)"},
                    Verdict::kViolation, /*same_states=*/false);
}

}  // namespace
}  // namespace racecheck::symbolic::testing
