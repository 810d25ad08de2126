// Crashes (`may crash`, `on crash retry at most K`) in both engines: what a crash releases, what
// it leaves, retries, and the words of the reports (docs/semantics.md, "Crashes").
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;
using result::ViolationKind;

bool HasStep(const result::Violation& violation, const std::string& process, const std::string& statement) {
  for (const result::Step& step : violation.trace) {
    if (step.process == process && step.statement == statement) return true;
  }
  return false;
}

TEST(SymbolicCrash, ABareAcquireStaysHeldAndTheOthersWaitForever) {
  result::Report report = Agreed(R"(
model bare
lock mu
shared x = 0
process W[2] may crash {
    acquire mu
    x += 1
    release mu
}
)");
  ASSERT_EQ(report.verdict, Verdict::kDeadlock);
  const result::Violation& deadlock = report.violations.at(0);
  ASSERT_EQ(deadlock.blocked.size(), 1u);
  EXPECT_EQ(deadlock.blocked[0], "W[1] waits for lock mu held by W[0], which crashed");
  EXPECT_TRUE(HasStep(deadlock, "W[0]", "crashes"));
}

TEST(SymbolicCrash, AWorkerMayDieBetweenItsCallAndTheGhostThatRecordsTheWork) {
  // The lost job: popped from the list, then the worker dies before handling it (the ghost
  // stands for the handling). The ghost update rides along with the pop's step, but a crash
  // may still come between them, under threads and under the event loop (there at the point
  // where the task resumes after the pop's answer).
  for (const char* runtime : {"threads", "event_loop"}) {
    result::Report report = Agreed(std::string(R"(
model lost_job
runtime )") + runtime + R"(
redis { jobs: list(1) = [1] }
ghost handled = 0
process Worker may crash {
    let job = redis.RPOP(jobs)
    handled += 1
}
final no_loss: handled + len(redis.jobs) == 1
)");
    ASSERT_EQ(report.verdict, Verdict::kViolation) << runtime;
    const result::Violation& lost = report.violations.at(0);
    EXPECT_EQ(lost.property, "no_loss") << runtime;
    const char* crash = std::string(runtime) == "threads" ? "crashes" : "crashes after the answer, before what follows";
    EXPECT_TRUE(HasStep(lost, "Worker", crash)) << runtime;
  }
}

TEST(SymbolicCrash, ALockBlockIsReleasedAsFinallyWould) {
  // The same code with a lock block: the crash frees it, and the other request gets through.
  EXPECT_EQ(Agreed(R"(
model block
lock mu
shared x = 0
ghost crashed_inside = 0
process W[2] may crash {
    lock mu {
        x += 1
    }
}
)").verdict, Verdict::kSafe);
  // ... also a lock block around the crash point inside a transaction, and nested blocks.
  EXPECT_EQ(Agreed(R"(
model nested
lock a
lock b[2]
table t(id key, v) { (1, 0) }
process W[2] may crash {
    lock a {
        lock b[self] {
            transaction {
                update t set v = v + 1 where id = 1
            }
        }
    }
}
)").verdict, Verdict::kSafe);
}

TEST(SymbolicCrash, TheOpenTransactionIsRolledBackAndItsRowLocksFreed) {
  // A crash between the two updates: the first is undone, so the balance stays conserved, and
  // the other transaction does not wait for the dead one's row lock.
  result::Report report = Agreed(R"(
model transfer
table accounts(id key, balance) { (1, 100), (2, 0) }
process T[2] may crash {
    transaction {
        update accounts set balance = balance - 10 where id = 1
        update accounts set balance = balance + 10 where id = 2
    }
}
invariant conserved: accounts[1].balance + accounts[2].balance == 100
final both_or_fewer: accounts[2].balance <= 20
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
  // Without the transaction the first update stays: money disappears.
  report = Agreed(R"(
model transfer_autocommit
table accounts(id key, balance) { (1, 100), (2, 0) }
process T may crash {
    update accounts set balance = balance - 10 where id = 1
    update accounts set balance = balance + 10 where id = 2
}
final conserved: accounts[1].balance + accounts[2].balance == 100
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).property, "conserved");
  EXPECT_TRUE(HasStep(report.violations.at(0), "T", "crashes"));
}

TEST(SymbolicCrash, RedisKeysStayAndWatchesGo) {
  // A key set before the crash stays; the crashed instance counts as finished for finals.
  result::Report report = Agreed(R"(
model lease_left
redis { lease }
process W may crash {
    redis.SET(lease, 1, NX)
    redis.DEL(lease)
}
final freed: redis.lease is null
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).property, "freed");
  // A WATCH of a crashed instance is gone with its connection: a retried request watches anew.
  // (A crash may come between EXEC and `added += 1`, so the count may lag, never lead.)
  EXPECT_EQ(Agreed(R"(
model watch_retry
redis { n = 0 }
ghost added = 0
process W[2] may crash on crash retry at most 1 {
    redis.WATCH(n)
    let v = redis.GET(n)
    let ok = redis.multi {
        redis.SET(n, v + 1)
    }
    if ok {
        added += 1
    }
}
invariant no_lost_update: redis.n >= added
)").verdict, Verdict::kSafe);
}

TEST(SymbolicCrash, RetriesRunTheRequestAgainWithFreshLocalsAndTheSameParameters) {
  // A retry starts over with the request's parameters, its other locals cleared.
  result::Report report = Agreed(R"(
model retried
shared served = 0
process W(amount = 7) may crash on crash retry at most 1 {
    assert amount == 7
    let before = 0
    assert before == 0
    before = served
    served = before + amount
}
final served_at_most_twice: served == 0 or served == 7 or served == 14
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
  // A request may die after its last step, its reply lost: the client sends it again, and it
  // serves twice (the double charge that idempotency keys prevent).
  report = Agreed(R"(
model lost_reply
table served(id key, n) { (1, 0) }
process W may crash on crash retry at most 1 {
    update served set n = n + 7 where id = 1
}
final served_once: served[1].n <= 7
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  ASSERT_EQ(report.violations.at(0).trace.size(), 3u);  // the update, the crash, the update again
  EXPECT_EQ(report.violations.at(0).trace[1].statement,
            "crashes after its last step: the client never gets the reply; its client sends the request again "
            "(attempt 2 of at most 2)");
  EXPECT_EQ(report.violations.at(0).explanation.rfind("lost reply: W did its work, then died before its reply", 0), 0u);
  // A request may die on every attempt: the retries run out.
  report = Agreed(R"(
model out_of_retries
shared s = 0
ghost served = 0
process W may crash on crash retry at most 2 {
    s = 1
    served += 1
}
final served_once: served == 1
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).trace.size(), 3u);  // three crashes: the first two retried
}

TEST(SymbolicCrash, AMayCrashStatementIsTheOnlyPointWhereItDies) {
  // The rate limiter's INCR then EXPIRE, with the crash point between them.
  result::Report report = Agreed(R"(
model incr_expire
redis { hits }
process R {
    let n = redis.INCR(hits)
    may crash
    if n == 1 {
        redis.EXPIRE(hits, 60)
    }
}
final expires: redis.hits is null or has_ttl(redis.hits)
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).property, "expires");
  // A crash point before the INCR loses nothing.
  EXPECT_EQ(Agreed(R"(
model crash_first
redis { hits }
process R {
    may crash
    redis.eval {
        let n = redis.INCR(hits)
        if n == 1 {
            redis.EXPIRE(hits, 60)
        }
    }
}
final expires: redis.hits is null or has_ttl(redis.hits)
)").verdict, Verdict::kSafe);
}

TEST(SymbolicCrash, EventLoopTasksCrashBetweenAwaits) {
  result::Report report = Agreed(R"(
model tasks
runtime event_loop
redis { lease }
process T[2] may crash {
    if redis.SET(lease, self + 1, NX) {
        await
        redis.DEL(lease)
    }
}
final freed: redis.lease is null
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).property, "freed");
}

TEST(SymbolicCrash, ACrashedInstanceIsNoDeadlock) {
  // Everyone alive has finished: a run where one request died is over, not stuck.
  EXPECT_EQ(Agreed(R"(
model over
lock mu
shared x = 0
process W may crash {
    acquire mu
    x = 1
    release mu
}
)").verdict, Verdict::kSafe);
}

}  // namespace
}  // namespace racecheck::symbolic::testing
