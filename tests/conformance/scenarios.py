"""Scenarios that pin down the PostgreSQL and Redis behaviours racecheck models.

Each scenario drives two real client connections through one interleaving by hand and checks
what the server did. The docstring of each names the racecheck model whose verdict rests on
that behaviour (docs/semantics.md, "Database" and "Redis"). Run by tests/conformance/run.sh,
which starts throwaway servers and passes their ports in the environment.
"""
import os
import socket
import sys
import signal
import threading
import time
import traceback

import psycopg2
import psycopg2.errors
import redis

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from redis_lists import *  # noqa: E402,F401,F403  (their test_ functions run with these)
from redis_hashes_sets import *  # noqa: E402,F401,F403

PG_PORT = int(os.environ["RACECHECK_PG_PORT"])
REDIS_PORT = int(os.environ["RACECHECK_REDIS_PORT"])

# How long a statement must stay unanswered before we call it blocked.
BLOCKED_AFTER = 0.3


def connect(isolation="read committed"):
    conn = psycopg2.connect(host="127.0.0.1", port=PG_PORT, user="racecheck", dbname="postgres")
    conn.set_session(isolation_level=isolation, autocommit=False)
    return conn


def run(conn, sql, *args):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        if cur.description is None:
            return cur.rowcount
        return cur.fetchall()


def setup(sql):
    conn = connect()
    conn.autocommit = True
    run(conn, sql)
    conn.close()


def accounts(balance=100):
    setup(f"drop table if exists accounts; create table accounts(id int primary key, balance int);"
          f"insert into accounts values (1, {balance}), (2, 50);")


def balance_of(account=1):
    conn = connect()
    value = run(conn, "select balance from accounts where id = %s", account)[0][0]
    conn.close()
    return value


class Pending:
    """A statement running in a thread, so the test can see whether it blocks."""

    def __init__(self, conn, sql, *args):
        self.result = None
        self.error = None
        self.thread = threading.Thread(target=self._run, args=(conn, sql, args), daemon=True)
        self.thread.start()

    def _run(self, conn, sql, args):
        try:
            self.result = run(conn, sql, *args)
        except Exception as e:  # the scenario inspects it
            self.error = e

    def blocked(self):
        self.thread.join(BLOCKED_AFTER)
        return self.thread.is_alive()

    def finish(self):
        self.thread.join(10)
        assert not self.thread.is_alive(), "statement still blocked after 10 s"
        return self


def sqlstate(error):
    return getattr(error, "pgcode", None)


# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------

def test_lost_update_read_committed():
    """models/withdraw_read_then_write.cr: select, then update with a value computed in the
    handler, under read committed: the second writer overwrites the first. A lost update."""
    accounts()
    t1, t2 = connect(), connect()
    b1 = run(t1, "select balance from accounts where id = 1")[0][0]
    b2 = run(t2, "select balance from accounts where id = 1")[0][0]
    assert b1 == b2 == 100
    run(t1, "update accounts set balance = %s where id = 1", b1 - 80)
    t1.commit()
    run(t2, "update accounts set balance = %s where id = 1", b2 - 80)
    t2.commit()
    assert balance_of() == 20, "both withdrawals of 80 left 20: 160 withdrawn from 100"


def test_update_rechecks_where_after_waiting():
    """models/withdraw_update_in_sql.cr: an UPDATE that meets a row locked by an in-progress
    transaction waits; after that one commits, it re-checks WHERE on the new row version."""
    accounts()
    t1, t2 = connect(), connect()
    sql = "update accounts set balance = balance - 80 where id = 1 and balance >= 80"
    assert run(t1, sql) == 1
    second = Pending(t2, sql)
    assert second.blocked(), "the second update must wait for the row lock"
    t1.commit()
    second.finish()
    assert second.error is None and second.result == 0, "re-checked on balance 20: no row matches"
    t2.commit()
    assert balance_of() == 20


def test_select_for_update_blocks_and_sees_the_new_version():
    """models/withdraw_for_update.cr: SELECT ... FOR UPDATE waits for the row lock and then
    returns the row as the other transaction committed it."""
    accounts()
    t1, t2 = connect(), connect()
    assert run(t1, "select balance from accounts where id = 1 for update")[0][0] == 100
    second = Pending(t2, "select balance from accounts where id = 1 for update")
    assert second.blocked()
    run(t1, "update accounts set balance = 20 where id = 1")
    t1.commit()
    second.finish()
    assert second.result[0][0] == 20
    t2.rollback()


def test_for_update_with_an_aggregate_is_refused():
    """tests/golden/errors/fail_for_update_aggregate.cr: racecheck refuses `select count(*) ...
    for update` because PostgreSQL does (0A000), so no model proves a fix that cannot run."""
    accounts()
    t1 = connect()
    try:
        run(t1, "select count(*) from accounts where balance > 0 for update")
        raise AssertionError("PostgreSQL accepted FOR UPDATE with an aggregate")
    except psycopg2.Error as e:
        assert sqlstate(e) == "0A000", sqlstate(e)
    finally:
        t1.rollback()
        t1.close()


def test_dirty_read_never():
    """Every isolation level: uncommitted writes are invisible to others (no dirty read)."""
    accounts()
    t1, t2 = connect(), connect("read uncommitted")
    run(t1, "update accounts set balance = 0 where id = 1")
    assert run(t2, "select balance from accounts where id = 1")[0][0] == 100
    t1.rollback()
    t2.rollback()


def test_dirty_write_never():
    """Every isolation level: a second writer of a row waits for the first to finish."""
    accounts()
    t1, t2 = connect("read uncommitted"), connect("read uncommitted")
    run(t1, "update accounts set balance = 1 where id = 1")
    second = Pending(t2, "update accounts set balance = 2 where id = 1")
    assert second.blocked()
    t1.rollback()
    second.finish()
    t2.commit()
    assert balance_of() == 2


def test_repeatable_read_fails_instead_of_losing_an_update():
    """models/withdraw_repeatable_read.cr: under repeatable read the second writer of a row
    changed after its snapshot fails with a serialization error (40001)."""
    accounts()
    t1, t2 = connect("repeatable read"), connect("repeatable read")
    b1 = run(t1, "select balance from accounts where id = 1")[0][0]
    b2 = run(t2, "select balance from accounts where id = 1")[0][0]
    run(t1, "update accounts set balance = %s where id = 1", b1 - 80)
    t1.commit()
    try:
        run(t2, "update accounts set balance = %s where id = 1", b2 - 80)
        raise AssertionError("expected a serialization failure")
    except psycopg2.errors.SerializationFailure as e:
        assert sqlstate(e) == "40001"
    t2.rollback()
    assert balance_of() == 20


def test_non_repeatable_read_only_under_read_committed():
    """Read skew: a second read in the same transaction sees another's commit under read
    committed, and the snapshot's value under repeatable read."""
    for isolation, expected in (("read committed", 20), ("repeatable read", 100)):
        accounts()
        t1, t2 = connect(isolation), connect()
        assert run(t1, "select balance from accounts where id = 1")[0][0] == 100
        run(t2, "update accounts set balance = 20 where id = 1")
        t2.commit()
        assert run(t1, "select balance from accounts where id = 1")[0][0] == expected, isolation
        t1.rollback()


def test_phantom_only_under_read_committed():
    """A predicate read repeated in one transaction sees a newly inserted row under read
    committed, and not under repeatable read (PostgreSQL's snapshot has no phantoms)."""
    for isolation, expected in (("read committed", 3), ("repeatable read", 2)):
        accounts()
        t1, t2 = connect(isolation), connect()
        assert run(t1, "select count(*) from accounts where balance > 0")[0][0] == 2
        run(t2, "insert into accounts values (3, 10)")
        t2.commit()
        assert run(t1, "select count(*) from accounts where balance > 0")[0][0] == expected, isolation
        t1.rollback()


def oncall(isolation, other_isolation=None):
    """models/oncall_write_skew.cr: two doctors each check that someone else is on call, then
    go off call. Returns (doctors still on call, errors raised)."""
    setup("drop table if exists doctors; create table doctors(id int primary key, on_call int);"
          "insert into doctors values (1, 1), (2, 1);")
    t1, t2 = connect(isolation), connect(other_isolation or isolation)
    errors = []
    for conn in (t1, t2):
        assert run(conn, "select count(*) from doctors where on_call = 1")[0][0] == 2
    for conn, me in ((t1, 1), (t2, 2)):
        try:
            run(conn, "update doctors set on_call = 0 where id = %s", me)
        except psycopg2.Error as e:
            errors.append(sqlstate(e))
            conn.rollback()
    for conn in (t1, t2):
        try:
            conn.commit()
        except psycopg2.Error as e:
            errors.append(sqlstate(e))
            conn.rollback()
    conn = connect()
    on_call = run(conn, "select count(*) from doctors where on_call = 1")[0][0]
    conn.close()
    return on_call, errors


def test_write_skew_under_repeatable_read():
    """Write skew is possible under repeatable read: both go off call."""
    on_call, errors = oncall("repeatable read")
    assert on_call == 0 and errors == []


def test_serializable_prevents_write_skew():
    """Under serializable one of the two fails with a serialization error: someone stays on call."""
    on_call, errors = oncall("serializable")
    assert on_call == 1, on_call
    assert errors == ["40001"], errors


def test_serializable_beside_read_committed_allows_write_skew():
    """tests/golden/cases/write_skew_mixed_isolation.cr: serializable protects only against
    transactions that also run at it; one at read committed escapes it, and both go off call."""
    on_call, errors = oncall("serializable", "read committed")
    assert on_call == 0 and errors == [], (on_call, errors)


def test_deadlock_detector_fails_one_transaction():
    """models/transfer_rows_deadlock.cr: two transfers lock rows in opposite orders; the
    deadlock detector fails one of them with 40P01 and the other goes on."""
    accounts()
    t1, t2 = connect(), connect()
    run(t1, "update accounts set balance = balance - 10 where id = 1")
    run(t2, "update accounts set balance = balance - 10 where id = 2")
    first = Pending(t1, "update accounts set balance = balance + 10 where id = 2")
    assert first.blocked()
    second = Pending(t2, "update accounts set balance = balance + 10 where id = 1")
    first.finish()
    second.finish()
    codes = sorted(sqlstate(p.error) for p in (first, second) if p.error is not None)
    assert codes == ["40P01"], codes
    for conn, pending in ((t1, first), (t2, second)):
        (conn.rollback if pending.error else conn.commit)()


def test_deadlock_victims_retry_queues_behind_an_earlier_waiter():
    """docs/semantics.md (the line's first two places, golden deadlock_victim_retry_queues_behind):
    a deadlock victim that was first in line for a row retries at once; its new statement
    queues behind the transaction that waited for the row before it, which PostgreSQL granted
    the row's tuple lock when the victim rolled back, and does not take the place again."""
    accounts()
    fwd0, fwd1, back = connect(), connect(), connect()
    # Fwd1 is the deadlock detector's victim: it looks once, 1.5 s after it starts waiting (by
    # then the cycle is closed, about 0.7 s in); the others would look far later.
    for conn, timeout in ((fwd0, "20s"), (fwd1, "1500ms"), (back, "20s")):
        run(conn, f"set deadlock_timeout = '{timeout}'")
        conn.commit()
    run(fwd0, "update accounts set balance = balance - 10 where id = 1")
    first = Pending(fwd1, "update accounts set balance = balance - 10 where id = 1")
    assert first.blocked()
    run(back, "update accounts set balance = balance - 10 where id = 2")
    fwd0_waits = Pending(fwd0, "update accounts set balance = balance + 10 where id = 2")
    assert fwd0_waits.blocked()
    back_waits = Pending(back, "update accounts set balance = balance + 10 where id = 1")
    assert back_waits.blocked()
    first.finish()
    assert sqlstate(first.error) == "40P01", first.error
    fwd1.rollback()
    retry = Pending(fwd1, "update accounts set balance = balance - 10 where id = 1")
    assert retry.blocked()
    observer = connect()
    observer.autocommit = True
    blockers = run(observer, "select pg_blocking_pids(%s)", fwd1.get_backend_pid())[0][0]
    assert back.get_backend_pid() in blockers, blockers
    # Fwd0 and Back now wait for each other; end Fwd0 instead of waiting for the detector.
    run(observer, "select pg_cancel_backend(%s)", fwd0.get_backend_pid())
    fwd0_waits.finish()
    assert sqlstate(fwd0_waits.error) == "57014", fwd0_waits.error
    fwd0.rollback()
    back_waits.finish()
    assert back_waits.error is None, back_waits.error
    assert retry.blocked(), "the retry must wait for Back, which holds row 1 now"
    back.commit()
    retry.finish()
    assert retry.error is None, retry.error
    fwd1.commit()
    observer.close()


def test_a_retry_locks_a_freed_row_before_the_woken_first_waiter():
    """docs/semantics.md ("A row it does not conflict with is taken at once, even with a first
    waiter"; golden deadlock_victim_retry_queues_behind): two transfers deadlock; the victim held
    row 2, for which the other waits first in line. Kept from running when woken (SIGSTOP on its
    backend), the waiter lets the victim's retry lock row 2 at once (heap_lock_tuple finds the
    row free), and then waits for the retry: a run racecheck explores."""
    accounts()
    t0, t1 = connect(), connect()
    for conn, timeout in ((t0, "20s"), (t1, "200ms")):
        run(conn, f"set deadlock_timeout = '{timeout}'")
        conn.commit()
    run(t0, "update accounts set balance = balance - 10 where id = 1")
    run(t1, "update accounts set balance = balance - 10 where id = 2")
    waiter = Pending(t0, "update accounts set balance = balance + 10 where id = 2")
    assert waiter.blocked()
    pid0 = t0.get_backend_pid()
    os.kill(pid0, signal.SIGSTOP)  # asleep in its wait: it cannot run when woken
    try:
        victim = Pending(t1, "update accounts set balance = balance + 10 where id = 1")
        victim.finish()
        assert sqlstate(victim.error) == "40P01", victim.error
        t1.rollback()
        retry = Pending(t1, "update accounts set balance = balance - 10 where id = 2")
        assert not retry.blocked(), "the retry locks the freed row at once"
        assert retry.error is None, retry.error
    finally:
        os.kill(pid0, signal.SIGCONT)
    assert waiter.blocked(), "the woken waiter now waits for the retry"
    observer = connect()
    observer.autocommit = True
    assert t1.get_backend_pid() in run(observer, "select pg_blocking_pids(%s)", pid0)[0][0]
    observer.close()
    t1.rollback()
    waiter.finish()
    assert waiter.error is None, waiter.error
    t0.rollback()


def jobs(count=2):
    rows = ", ".join(f"({k}, 'queued')" for k in range(1, count + 1))
    setup(f"drop table if exists jobs; create table jobs(id int primary key, status text);"
          f"insert into jobs values {rows};")


CLAIM = "select id from jobs where status = 'queued' order by id limit 1 for update"


def test_skip_locked_skips_the_locked_job():
    """models/job_queue_skip_locked.cr: SKIP LOCKED never waits; the second worker gets the
    next job in order, and with every job locked it gets no row."""
    jobs()
    t1, t2, t3 = connect(), connect(), connect()
    assert run(t1, CLAIM + " skip locked") == [(1,)]
    second = Pending(t2, CLAIM + " skip locked")
    assert not second.blocked(), "skip locked must not wait"
    assert second.finish().result == [(2,)]
    assert run(t3, CLAIM + " skip locked") == [], "both jobs locked: no row"
    for t in (t1, t2, t3):
        t.rollback()


def test_update_returning_claims_every_row_once():
    """tests/golden/cases/for_update_returning.cr: `for job in update jobs set status =
    'running' where status = 'queued' returning id`: the second worker's update waits for the
    first's row locks, re-checks the status once they commit, and returns no row; the first
    gets every job, with the values it wrote."""
    jobs(3)
    t1, t2 = connect(), connect()
    claim = "update jobs set status = 'running' where status = 'queued' returning id, status"
    assert sorted(run(t1, claim)) == [(1, "running"), (2, "running"), (3, "running")]
    second = Pending(t2, claim)
    assert second.blocked(), "the second claim must wait for the first's row locks"
    t1.commit()
    assert second.finish().result == [], "every job is taken: no row"
    t2.rollback()


def test_one_statement_locks_its_rows_one_at_a_time():
    """docs/semantics.md, "Statements that lock" (SqlStatement::row_by_row): PostgreSQL locks a
    statement's rows one at a time, so another transaction can take the second row between two
    of them; two statements locking the same rows in opposite orders deadlock (40P01 to one).
    A filter that sleeps on row 2 (after row 1 is locked, before row 2) holds the gap open."""
    setup("drop table if exists items; create table items(id int primary key, n int);"
          "insert into items values (1, 0), (2, 0);"
          "create or replace function slow(i int) returns bool language plpgsql as $$ "
          "begin if i = 2 then perform pg_sleep(1); end if; return true; end $$;")
    t1, t2 = connect(), connect()
    run(t1, "set enable_seqscan = off")
    run(t1, "set enable_sort = off")
    first = Pending(t1, "select id from items where slow(id) order by id for update")
    time.sleep(0.3)  # the first holds row 1 and sleeps before row 2
    second = Pending(t2, "select id from items order by id desc for update")
    first.finish()
    second.finish()
    codes = sorted(sqlstate(p.error) for p in (first, second) if p.error is not None)
    assert codes == ["40P01"], codes
    for t in (t1, t2):
        t.rollback()


def test_nowait_fails_on_the_locked_job():
    """models/job_queue_nowait.cr: NOWAIT fails the statement with 55P03 (lock_not_available)
    on the first locked row in order, even when a later row is free."""
    jobs()
    t1, t2 = connect(), connect()
    assert run(t1, CLAIM + " nowait") == [(1,)]
    try:
        run(t2, CLAIM + " nowait")
        raise AssertionError("nowait must fail on a locked row")
    except psycopg2.errors.LockNotAvailable as e:
        assert sqlstate(e) == "55P03"
    t2.rollback()
    t1.rollback()


def test_claim_waits_then_moves_to_the_next_job():
    """models/job_queue_for_update.cr (docs/tutorial.md): FOR UPDATE with ORDER BY and LIMIT
    waits for the locked first job; after its holder marks it done and commits, the job no
    longer matches, so the claim moves on to the next job in order (Limit above LockRows)."""
    jobs()
    t1, t2 = connect(), connect()
    assert run(t1, CLAIM) == [(1,)]
    second = Pending(t2, CLAIM)
    assert second.blocked(), "the claim must wait for the locked job"
    run(t1, "update jobs set status = 'done' where id = 1")
    t1.commit()
    assert second.finish().result == [(2,)], "job 1 is done: the claim takes job 2"
    t2.rollback()


def test_for_no_key_update_conflicts_with_update_and_itself():
    """docs/semantics.md: without foreign keys FOR NO KEY UPDATE behaves as FOR UPDATE here:
    an UPDATE of the row and another FOR NO KEY UPDATE of it wait for the holder."""
    jobs()
    t1, t2, t3 = connect(), connect(), connect()
    assert run(t1, "select id from jobs where id = 1 for no key update") == [(1,)]
    writer = Pending(t2, "update jobs set status = 'running' where id = 1")
    assert writer.blocked(), "an update waits for FOR NO KEY UPDATE"
    locker = Pending(t3, "select id from jobs where id = 1 for no key update nowait")
    locker.finish()
    assert sqlstate(locker.error) == "55P03", "a second FOR NO KEY UPDATE conflicts"
    t1.rollback()
    writer.finish()
    for t in (t2, t3):
        t.rollback()


def test_limit_counts_only_locked_rows():
    """SKIP LOCKED with LIMIT 2: the skipped row does not count against the limit."""
    jobs(3)
    t1, t2 = connect(), connect()
    assert run(t1, "select id from jobs where id = 2 for update") == [(2,)]
    assert run(t2, "select id from jobs order by id limit 2 for update skip locked") == [(1,), (3,)]
    t1.rollback()
    t2.rollback()


def test_skip_locked_under_repeatable_read_fails_on_a_changed_row():
    """Under repeatable read a row another transaction changed and committed after the
    snapshot fails the lock with 40001, with or without SKIP LOCKED."""
    jobs()
    t1, t2 = connect(), connect("repeatable read")
    run(t2, "select 1")  # takes the snapshot
    run(t1, "update jobs set status = 'running' where id = 1")
    t1.commit()
    try:
        run(t2, "select id from jobs order by id limit 1 for update skip locked")
        raise AssertionError("a changed row must fail under repeatable read")
    except psycopg2.errors.SerializationFailure as e:
        assert sqlstate(e) == "40001"
    t2.rollback()


def claimable_jobs():
    setup("drop table if exists jobs; create table jobs(id int primary key, claimed_by int, tries int not null);"
          "insert into jobs values (1, null, 0), (2, 7, 0);")


def test_null_comparison_matches_nothing():
    """docs/semantics.md, "NULL": `where col = null` is unknown for every row, never true (racecheck
    warns and points to `is null`); `is null` finds the row."""
    claimable_jobs()
    conn = connect()
    assert run(conn, "select count(*) from jobs where claimed_by = null")[0][0] == 0
    assert run(conn, "select count(*) from jobs where claimed_by is null")[0][0] == 1
    assert run(conn, "select count(*) from jobs where claimed_by is not null")[0][0] == 1
    conn.close()


def test_not_of_unknown_is_unknown():
    """Three-valued logic: not (col = 1) on a NULL row is unknown, so the row does not match;
    `or` with a true operand is true, `and` with a false one is false (Kleene)."""
    claimable_jobs()
    conn = connect()
    assert run(conn, "select id from jobs where not (claimed_by = 1)") == [(2,)]
    assert run(conn, "select count(*) from jobs where claimed_by = 1 or tries = 0")[0][0] == 2
    assert run(conn, "select count(*) from jobs where not (claimed_by = 1 and tries = 1)")[0][0] == 2
    assert run(conn, "select count(*) from jobs where claimed_by + 1 > 0")[0][0] == 1
    conn.close()


def test_coalesce_and_aggregates_over_null():
    """coalesce gives its first argument that is not NULL; count(col) skips NULLs, count(*) does
    not; sum of no values is NULL."""
    claimable_jobs()
    conn = connect()
    assert run(conn, "select coalesce(claimed_by, 5) from jobs order by id") == [(5,), (7,)]
    assert run(conn, "select count(claimed_by), count(*) from jobs") == [(1, 2)]
    assert run(conn, "select sum(claimed_by) from jobs where id = 1") == [(None,)]
    assert run(conn, "select sum(tries) from jobs where id = 9") == [(None,)]
    conn.close()


def agg_prices():
    setup("drop table if exists agg_prices; create table agg_prices(id int primary key, price int);"
          "insert into agg_prices values (1, null), (2, 7), (3, 3);")


def test_agg_min_max_skip_nulls_and_give_null_over_no_row():
    """docs/language.md, "select": min(col) and max(col) skip NULLs; over no rows, or rows whose
    column is NULL only, they give NULL; with FOR UPDATE they are refused (0A000), as count and sum
    are (tests/golden/errors/fail_for_update_min.cr); limit applies to the one row, order by a
    column is refused."""
    agg_prices()
    conn = connect()
    assert run(conn, "select min(price), max(price) from agg_prices") == [(3, 7)]
    assert run(conn, "select min(price), max(price), count(price) from agg_prices where id = 1") == [(None, None, 0)]
    assert run(conn, "select min(price), max(price), sum(price) from agg_prices where id = 9") == [(None, None, None)]
    assert run(conn, "select min(id), max(id) from agg_prices where price > 3") == [(2, 2)]
    # An aggregate makes one row: limit applies to it and changes nothing; order by a column is
    # refused (42803). racecheck refuses both (tests/golden/errors/fail_select_min_max.cr).
    assert run(conn, "select max(price) from agg_prices limit 1") == [(7,)]
    fails_with(conn, "42803", "select min(price) from agg_prices order by id")
    conn.rollback()
    fails_with(conn, "0A000", "select max(price) from agg_prices for update")
    conn.rollback()
    fails_with(conn, "0A000", "select min(price) from agg_prices for no key update")
    conn.rollback()
    conn.close()


def test_agg_where_unknown_does_not_count():
    """docs/language.md, "Properties": count(t where cond) and sum(t.col where cond) in a property
    count a row only where cond is true, as a SQL where: a row where it is unknown (NULL) does not
    count; sum over no rows is NULL, so models write coalesce(sum(...), 0)."""
    agg_prices()
    conn = connect()
    assert run(conn, "select count(*) from agg_prices where price < 5 or id = 9") == [(1,)]
    assert run(conn, "select count(*) from agg_prices where not (price > 5)") == [(1,)]
    assert run(conn, "select sum(price) from agg_prices where price > 10") == [(None,)]
    assert run(conn, "select coalesce(sum(price), 0) from agg_prices where price > 10") == [(0,)]
    assert run(conn, "select exists(select 1 from agg_prices where price is null)") == [(True,)]
    conn.close()


def test_not_null_violation():
    """tests/golden/cases/null_not_null_violation.cr: NULL into a NOT NULL column
    fails the statement with 23502; an insert that omits a nullable column stores NULL."""
    claimable_jobs()
    conn = connect()
    try:
        run(conn, "update jobs set tries = null where id = 1")
        raise AssertionError("the update stored NULL in a NOT NULL column")
    except psycopg2.errors.NotNullViolation as error:
        assert sqlstate(error) == "23502"
    conn.rollback()
    run(conn, "insert into jobs (id, tries) values (3, 0)")
    assert run(conn, "select claimed_by from jobs where id = 3") == [(None,)]
    conn.rollback()
    conn.close()


def test_select_of_a_missing_row_gives_no_row():
    """A one-row select that finds nothing returns no row: the application reads NULL (None),
    which racecheck gives the select's locals; models/job_claim_nullable.cr."""
    claimable_jobs()
    conn = connect()
    assert run(conn, "select claimed_by from jobs where id = 9") == []
    conn.close()


def test_conditional_claim_with_is_null():
    """models/job_claim_nullable.cr: `update ... where claimed_by is null` claims once; the second
    worker waits, re-checks the where clause on the new version and changes no row."""
    claimable_jobs()
    t1, t2 = connect(), connect()
    assert run(t1, "update jobs set claimed_by = 1 where id = 1 and claimed_by is null") == 1
    pending = Pending(t2, "update jobs set claimed_by = 2 where id = 1 and claimed_by is null")
    assert pending.blocked()
    t1.commit()
    assert pending.finish().error is None
    assert pending.result == 0
    t2.commit()
    t1.close()
    t2.close()


# ---------------------------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------------------------

def client():
    return redis.Redis(host="127.0.0.1", port=REDIS_PORT)


def test_redis_lease_expires_while_its_holder_works():
    """models/withdraw_redlock.cr: SET lease NX PX gives the lock to one client; when the
    holder outlasts the lease, the key expires and a second client acquires it too."""
    a, b = client(), client()
    a.delete("lease")
    assert a.set("lease", "A", nx=True, px=100)
    assert not b.set("lease", "B", nx=True, px=100)
    time.sleep(0.3)  # A "pauses" longer than its lease
    assert b.set("lease", "B", nx=True, px=100), "the lease expired: B holds the lock while A works"


def test_redis_decrby_goes_negative_before_compensation():
    """models/withdraw_redis.cr: DECRBY is atomic but unconditional: two withdrawals of 80 from
    100 take the balance to -60 until the second compensates."""
    a, b = client(), client()
    a.set("balance", 100)
    assert a.decrby("balance", 80) == 20
    assert b.decrby("balance", 80) == -60
    assert b.incrby("balance", 80) == 20


def test_redis_absent_key_is_nil_and_nil_cannot_be_stored():
    """docs/language.md, Redis: GET of an absent key gives nil (racecheck's null); INCR counts from
    0; a client library refuses nil as a value (racecheck: a runtime error)."""
    a = client()
    a.delete("nil_key", "nil_counter")
    assert a.get("nil_key") is None
    assert a.exists("nil_key") == 0
    assert a.incr("nil_counter") == 1
    try:
        a.set("nil_key", None)
        refused = False
    except redis.exceptions.DataError:
        refused = True
    assert refused, "redis-py refuses None as a value"
    assert a.get("nil_key") is None


def test_redis_job_state_claim_get_then_set_and_set_nx():
    """models/job_state_get_then_set.cr and job_state_set_nx.cr: a state key that starts absent
    (`state: Phase`) holds the enum's names as strings. Two workers that GET it both see nil and
    both SET it, each believing it claimed the job; with SET NX only the first creates it, the
    second gets nil back (redis-py: None) and the key keeps the first value."""
    a, b = client(), client()
    a.delete("job_state", "job_history")
    assert a.get("job_state") is None and b.get("job_state") is None
    assert a.set("job_state", "running") and b.set("job_state", "running")
    a.delete("job_state")
    assert a.set("job_state", "running", nx=True) is True
    assert b.set("job_state", "running", nx=True) is None
    assert a.rpush("job_history", "running") == 1
    assert a.set("job_state", "done")
    assert a.rpush("job_history", "done") == 2
    assert a.get("job_state") == b"done"
    assert a.lrange("job_history", 0, -1) == [b"running", b"done"]


def test_redis_expire_persist_getdel_results():
    """docs/semantics.md, Redis: Redis 7's results for EXPIRE, PEXPIRE, PERSIST and GETDEL, and
    EXPIRE with a time not above 0 deleting the key."""
    a = client()
    a.delete("ttl_key", "ttl_gone")
    assert a.expire("ttl_gone", 10) is False
    a.set("ttl_key", 5)
    assert a.persist("ttl_key") is False, "no time to live to remove"
    assert a.pexpire("ttl_key", 100000) is True
    assert a.persist("ttl_key") is True
    assert a.expire("ttl_key", 0) is True
    assert a.exists("ttl_key") == 0, "a time to live of 0 deletes the key"
    a.set("ttl_key", 3)
    assert a.getdel("ttl_key") == b"3"
    assert a.getdel("ttl_key") is None


def test_redis_expire_and_persist_are_changes_for_watch():
    """docs/language.md, Redis: EXPIRE and PERSIST change the key for WATCH; the EXEC is refused."""
    for change in (lambda c: c.expire("ttl_watched", 1000), lambda c: c.persist("ttl_watched")):
        a, b = client(), client()
        a.set("ttl_watched", 5, px=100000)
        with a.pipeline() as pipe:
            pipe.watch("ttl_watched")
            change(b)
            pipe.multi()
            pipe.set("ttl_watched", 6)
            try:
                pipe.execute()
                refused = False
            except redis.exceptions.WatchError:
                refused = True
        assert refused, "the EXEC after the change is refused"


CHECK_AND_DECREMENT = """
local b = tonumber(redis.call('GET', KEYS[1]))
if b >= tonumber(ARGV[1]) then return redis.call('DECRBY', KEYS[1], ARGV[1]) end
return -1
"""


def test_redis_script_runs_atomically():
    """models/withdraw_redis_script.cr: a check-and-decrement script runs as one step."""
    a, b = client(), client()
    a.set("balance", 100)
    assert a.eval(CHECK_AND_DECREMENT, 1, "balance", 80) == 20
    assert b.eval(CHECK_AND_DECREMENT, 1, "balance", 80) == -1
    assert int(a.get("balance")) == 20


def test_redis_exec_fails_after_a_watched_key_changed():
    """WATCH/MULTI/EXEC: EXEC returns nil when a watched key changed since WATCH."""
    a, b = client(), client()
    a.set("balance", 100)
    with a.pipeline() as pipe:
        pipe.watch("balance")
        seen = int(pipe.get("balance"))
        b.decrby("balance", 80)
        pipe.multi()
        pipe.set("balance", seen - 80)
        try:
            pipe.execute()
            raise AssertionError("EXEC should have failed")
        except redis.WatchError:
            pass
    assert int(a.get("balance")) == 20



def raw_connection():
    """One connection without redis-py's reply parsing, which would read QUEUED as a number."""
    conn = redis.Connection(host="127.0.0.1", port=REDIS_PORT)

    def call(*args):
        conn.send_command(*args)
        return conn.read_response()

    return conn, call


def test_redis_commands_inside_multi_answer_queued():
    """docs/semantics.md, MULTI/EXEC: inside MULTI every command is answered QUEUED and runs at
    EXEC, which returns the results; so code in the block cannot use one (the front end refuses
    a model that does, check_structure.cpp)."""
    a = client()
    a.set("mq_balance", 100)
    conn, call = raw_connection()
    try:
        assert call("MULTI") == b"OK"
        assert call("GET", "mq_balance") == b"QUEUED"
        assert call("DECRBY", "mq_balance", 80) == b"QUEUED"
        assert int(a.get("mq_balance")) == 100, "nothing runs before EXEC"
        assert call("EXEC") == [b"100", 20]
    finally:
        conn.disconnect()
    assert int(a.get("mq_balance")) == 20


def test_redis_exec_fails_after_the_client_itself_changed_a_watched_key():
    """docs/semantics.md, MULTI/EXEC: a write to a watched key by the watching client itself,
    before MULTI, also makes its EXEC fail."""
    a = client()
    a.set("mq_self", 1)
    conn, call = raw_connection()
    try:
        assert call("WATCH", "mq_self") == b"OK"
        assert call("SET", "mq_self", 2) == b"OK"
        assert call("MULTI") == b"OK"
        assert call("SET", "mq_self", 3) == b"QUEUED"
        assert call("EXEC") is None, "the EXEC after the client's own write is refused"
    finally:
        conn.disconnect()
    assert int(a.get("mq_self")) == 2


def test_redis_refuses_watch_inside_multi_and_in_scripts():
    """check_structure.cpp refuses `redis.WATCH(k)` inside `multi { }` and `eval { }`: Redis
    answers WATCH inside MULTI with an error and watches nothing (the EXEC still runs, and a
    later transaction is not refused), and a script may not call WATCH at all."""
    a = client()
    a.set("wm_key", 0)
    conn, call = raw_connection()
    try:
        assert call("MULTI") == b"OK"
        try:
            call("WATCH", "wm_key")
            raise AssertionError("WATCH inside MULTI must be refused")
        except redis.exceptions.ResponseError as e:
            assert "WATCH inside MULTI is not allowed" in str(e)
        assert call("INCR", "wm_x") == b"QUEUED"
        assert call("EXEC") == [1], "the refused WATCH does not abort the transaction"
        a.incr("wm_key")
        assert call("MULTI") == b"OK"
        assert call("INCR", "wm_x") == b"QUEUED"
        assert call("EXEC") == [2], "nothing was watched, so a change to the key refuses nothing"
    finally:
        conn.disconnect()
    try:
        a.eval("return redis.call('WATCH', KEYS[1])", 1, "wm_key")
        raise AssertionError("WATCH in a script must be refused")
    except redis.exceptions.ResponseError as e:
        assert "not allowed from script" in str(e)

# ---- constraints: unique, check, on conflict (docs/semantics.md, "Constraints") ----

def fails_with(conn, code, sql):
    """Runs a statement that must fail with SQLSTATE `code`."""
    try:
        run(conn, sql)
    except psycopg2.Error as e:
        assert sqlstate(e) == code, f"{sql}: {sqlstate(e)}, expected {code}"
        return
    raise AssertionError(f"{sql}: must fail with {code}")

def users():
    setup("drop table if exists users; create table users(id int primary key, email int unique,"
          " tries int not null default 0, check (tries >= 0));")


def test_insert_waits_for_an_uncommitted_duplicate_then_fails():
    """models/signup_unique.cr: a second signup with the same email waits for the first's
    transaction; when it commits, 23505."""
    users()
    t1, t2 = connect(), connect()
    run(t1, "insert into users values (1, 7)")
    second = Pending(t2, "insert into users values (2, 7)")
    assert second.blocked(), "the duplicate insert must wait for the first transaction"
    t1.commit()
    second.finish()
    assert sqlstate(second.error) == "23505"
    t2.rollback()


def test_insert_goes_on_when_the_duplicate_rolls_back():
    """A waiting duplicate insert goes on when the first transaction rolls back."""
    users()
    t1, t2 = connect(), connect()
    run(t1, "insert into users values (1, 7)")
    second = Pending(t2, "insert into users values (2, 7)")
    assert second.blocked()
    t1.rollback()
    second.finish()
    assert second.error is None and second.result == 1
    t2.commit()


def test_insert_does_not_wait_for_a_row_only_locked():
    """A committed duplicate that another transaction only locks (FOR UPDATE): 23505 at once."""
    users()
    setup("insert into users values (1, 7)")
    t1, t2 = connect(), connect()
    run(t1, "select id from users where id = 1 for update")
    second = Pending(t2, "insert into users values (2, 7)")
    assert not second.blocked()
    assert sqlstate(second.error) == "23505"
    t1.rollback()
    t2.rollback()


def test_repeatable_read_duplicate_committed_after_the_snapshot_is_23505():
    """Under repeatable read a duplicate committed after the snapshot is 23505, not 40001."""
    users()
    t1, t2 = connect("repeatable read"), connect()
    assert run(t1, "select count(*) from users where email = 7")[0][0] == 0
    run(t2, "insert into users values (2, 7)")
    t2.commit()
    fails_with(t1, "23505", "insert into users values (1, 7)")
    t1.rollback()


def test_serializable_duplicate_committed_after_the_snapshot_is_23505_after_a_scan():
    """Under serializable, after a scan (not an index read) of the range, a duplicate a serializable
    transaction committed after the snapshot is still 23505: PostgreSQL reports 40001 only when the
    transaction's reads locked the index page (docs/semantics.md, "Constraints": racecheck says 40001)."""
    users()
    t1, t2 = connect("serializable"), connect("serializable")
    assert run(t1, "select count(*) from users where email = 7")[0][0] == 0
    run(t2, "insert into users values (2, 7)")
    t2.commit()
    fails_with(t1, "23505", "insert into users values (1, 7)")
    t1.rollback()


def test_update_that_makes_a_duplicate_waits_then_fails():
    """An update to a value another transaction is inserting waits for it, then 23505."""
    users()
    setup("insert into users values (1, 8)")
    t1, t2 = connect(), connect()
    run(t1, "insert into users values (2, 7)")
    second = Pending(t2, "update users set email = 7 where id = 1")
    assert second.blocked()
    t1.commit()
    second.finish()
    assert sqlstate(second.error) == "23505"
    t2.rollback()


def test_serializable_duplicate_from_read_committed_after_the_snapshot_is_23505():
    """Under serializable, a duplicate a read committed transaction committed after the snapshot: 23505."""
    users()
    t1, t2 = connect("serializable"), connect()
    assert run(t1, "select count(*) from users where email = 7")[0][0] == 0
    run(t2, "insert into users values (2, 7)")
    t2.commit()
    fails_with(t1, "23505", "insert into users values (1, 7)")
    t1.rollback()


def test_serializable_duplicate_without_reading_is_23505():
    """Under serializable, without having read it: a duplicate a serializable transaction committed
    after the snapshot is 23505."""
    users()
    t1, t2 = connect("serializable"), connect("serializable")
    run(t1, "select count(*) from accounts")
    run(t2, "insert into users values (2, 7)")
    t2.commit()
    fails_with(t1, "23505", "insert into users values (1, 7)")
    t1.rollback()


def test_check_constraint_fails_with_23514():
    """check (tries >= 0): an update that breaks it fails with 23514."""
    users()
    setup("insert into users values (1, 8)")
    t1 = connect()
    fails_with(t1, "23514", "update users set tries = tries - 1 where id = 1")
    t1.rollback()


def test_check_constraint_passes_on_null():
    """A check fails only when false: on a NULL (unknown) it passes, and an insert or update that
    makes it false fails with 23514 (SymbolicDatabase.ACheckOnANullColumnPassesAsUnknown...)."""
    setup("drop table if exists coupons; create table coupons(id int primary key, discount int,"
          " check (discount >= 0 and discount <= 50));")
    t1 = connect()
    run(t1, "insert into coupons (id) values (1)")
    run(t1, "insert into coupons (id, discount) values (2, null)")
    t1.commit()
    fails_with(t1, "23514", "update coupons set discount = 60 where id = 1")
    t1.rollback()


def test_on_conflict_do_nothing_waits_then_does_nothing():
    """models/idempotency_on_conflict.cr: read committed, on conflict do nothing waits for an
    uncommitted conflicting insert; after it commits, 0 rows."""
    users()
    t1, t2 = connect(), connect()
    run(t1, "insert into users values (1, 7)")
    second = Pending(t2, "insert into users values (2, 7) on conflict (email) do nothing")
    assert second.blocked()
    t1.commit()
    second.finish()
    assert second.error is None and second.result == 0
    t2.commit()


def test_on_conflict_do_nothing_inserts_after_a_rollback():
    users()
    t1, t2 = connect(), connect()
    run(t1, "insert into users values (1, 7)")
    second = Pending(t2, "insert into users values (2, 7) on conflict (email) do nothing")
    assert second.blocked()
    t1.rollback()
    second.finish()
    assert second.error is None and second.result == 1
    t2.commit()


def test_on_conflict_do_nothing_repeatable_read_invisible_conflict_is_40001():
    """Under repeatable read, a conflicting row committed after the snapshot: 40001."""
    users()
    t1, t2 = connect("repeatable read"), connect()
    run(t1, "select count(*) from users")
    run(t2, "insert into users values (1, 7)")
    t2.commit()
    fails_with(t1, "40001", "insert into users values (2, 7) on conflict (email) do nothing")
    t1.rollback()


def test_on_conflict_first_statement_takes_its_snapshot_before_it_waits():
    """docs/semantics.md, "Constraints": an insert ... on conflict that is its repeatable read or
    serializable transaction's first statement takes the snapshot as it starts, before it waits
    for an uncommitted conflicting row; once that row commits it is newer than the snapshot:
    40001 (PostgreSQL's own isolation test insert-conflict-do-nothing-2)."""
    for isolation in ("repeatable read", "serializable"):
        users()
        t1, t2 = connect(), connect(isolation)
        run(t1, "insert into users values (1, 7)")
        second = Pending(t2, "insert into users values (2, 7) on conflict (email) do nothing")
        assert second.blocked(), "the insert waits for the uncommitted conflicting row"
        t1.commit()
        second.finish()
        assert sqlstate(second.error) == "40001", f"{isolation}: {second.error!r}"
        t2.rollback()


def test_upsert_first_statement_waiting_for_an_updated_row_is_40001():
    """docs/semantics.md, "Constraints": an upsert that is its repeatable read transaction's first
    statement, waiting for another transaction's update of the conflicting row, fails with 40001
    when that update commits (the new version is newer than its snapshot)."""
    users()
    setup("insert into users values (1, 7)")
    t1, t2 = connect(), connect("repeatable read")
    run(t1, "update users set tries = tries + 1 where id = 1")
    second = Pending(t2, "insert into users values (2, 7) on conflict (email) do update "
                     "set tries = users.tries + 1")
    assert second.blocked(), "the upsert waits for the row's writer"
    t1.commit()
    second.finish()
    assert sqlstate(second.error) == "40001", repr(second.error)
    t2.rollback()


def test_on_conflict_do_nothing_repeatable_read_visible_conflict_does_nothing():
    users()
    setup("insert into users values (1, 7)")
    t1 = connect("repeatable read")
    assert run(t1, "insert into users values (2, 7) on conflict (email) do nothing") == 0
    t1.commit()


def test_on_conflict_do_nothing_other_constraint_still_23505():
    """Only the target's constraint is an arbiter: a duplicate key is still 23505."""
    users()
    setup("insert into users values (1, 7)")
    t1 = connect()
    fails_with(t1, "23505", "insert into users values (1, 8) on conflict (email) do nothing")
    t1.rollback()


def test_on_conflict_target_must_be_unique():
    users()
    t1 = connect()
    fails_with(t1, "42P10", "insert into users values (1, 7) on conflict (tries) do nothing")
    t1.rollback()


def test_on_conflict_do_update_waits_then_updates_the_committed_row():
    """Read committed: do update waits for the uncommitted conflicting insert, then updates it."""
    users()
    t1, t2 = connect(), connect()
    run(t1, "insert into users values (1, 7)")
    second = Pending(t2, "insert into users values (2, 7) on conflict (email) do update set tries = users.tries + 1")
    assert second.blocked()
    t1.commit()
    second.finish()
    assert second.error is None and second.result == 1
    t2.commit()
    conn = connect()
    assert run(conn, "select id, tries from users") == [(1, 1)]
    conn.close()


def test_on_conflict_do_update_waits_for_a_row_lock():
    """Do update locks the conflicting row: it waits for a transaction that holds it."""
    users()
    setup("insert into users values (1, 7)")
    t1, t2 = connect(), connect()
    run(t1, "update users set tries = 5 where id = 1")
    second = Pending(t2, "insert into users values (2, 7) on conflict (email) do update set tries = users.tries + 1")
    assert second.blocked()
    t1.commit()
    second.finish()
    assert second.error is None and second.result == 1
    t2.commit()
    conn = connect()
    assert run(conn, "select tries from users where id = 1") == [(6,)]
    conn.close()


def test_on_conflict_do_update_where_false_changes_nothing():
    users()
    setup("insert into users values (1, 7)")
    t1 = connect()
    assert run(t1, "insert into users values (2, 7) on conflict (email) do update set tries = 1 where users.tries > 0") == 0
    t1.commit()


def test_on_conflict_do_update_repeatable_read_invisible_conflict_is_40001():
    users()
    t1, t2 = connect("repeatable read"), connect()
    run(t1, "select count(*) from users")
    run(t2, "insert into users values (1, 7)")
    t2.commit()
    fails_with(t1, "40001", "insert into users values (2, 7) on conflict (email) do update set tries = 1")
    t1.rollback()


def test_on_conflict_do_update_repeatable_read_row_updated_after_snapshot_is_40001():
    users()
    setup("insert into users values (1, 7)")
    t1, t2 = connect("repeatable read"), connect()
    run(t1, "select count(*) from users")
    run(t2, "update users set tries = 3 where id = 1")
    t2.commit()
    fails_with(t1, "40001", "insert into users values (2, 7) on conflict (email) do update set tries = 1")
    t1.rollback()


def for_rows_stock():
    setup("drop table if exists for_rows_stock; create table for_rows_stock(id int primary key, n int);"
          "insert into for_rows_stock values (10, 1), (11, 2);")


def test_for_rows_for_update_waits_then_returns_the_rows_as_committed():
    """tests/golden/cases/for_rows_for_update.cr: a for loop's SELECT ... ORDER BY ... FOR UPDATE
    waits for a row another transaction holds, then re-checks WHERE on the committed versions:
    it drops the row that no longer matches and returns the other as committed, in order."""
    for_rows_stock()
    t1, t2 = connect(), connect()
    sql = "select id, n from for_rows_stock where n > 0 order by id for update"
    assert run(t1, sql) == [(10, 1), (11, 2)]
    run(t1, "update for_rows_stock set n = 0 where id = 10")
    run(t1, "update for_rows_stock set n = 1 where id = 11")
    second = Pending(t2, sql)
    assert second.blocked(), "the second select must wait for the row locks"
    t1.commit()
    second.finish()
    assert second.error is None and second.result == [(11, 1)], second.result
    # The rows are the statement's result: the body's update does not change what it holds.
    for row_id, n in second.result:
        run(t2, "update for_rows_stock set n = %s where id = %s", n - 1, row_id)
    assert second.result == [(11, 1)]
    t2.commit()
    conn = connect()
    assert run(conn, "select id, n from for_rows_stock order by id") == [(10, 0), (11, 0)]
    conn.close()


# ---- for share (docs/semantics.md, "Row locks") ----

def share_items():
    setup("drop table if exists share_items; create table share_items(id int primary key, v int);"
          "insert into share_items values (1, 0), (2, 0);")


SHARE_ONE = "select v from share_items where id = 1 for share"


def test_share_two_for_share_at_once_both_proceed():
    """models/orders_parent_for_share.cr: FOR SHARE does not conflict with FOR SHARE."""
    share_items()
    t1, t2 = connect(), connect()
    assert run(t1, SHARE_ONE) == [(0,)]
    second = Pending(t2, SHARE_ONE)
    assert not second.blocked(), "a second FOR SHARE must not wait"
    assert second.finish().result == [(0,)]
    t1.rollback()
    t2.rollback()


def test_share_blocks_an_update_until_commit():
    """An UPDATE (and a DELETE) of a share-locked row waits for the holder's commit."""
    share_items()
    t1, t2, t3 = connect(), connect(), connect()
    assert run(t1, SHARE_ONE) == [(0,)]
    writer = Pending(t2, "update share_items set v = 1 where id = 1")
    assert writer.blocked(), "an update waits for a share lock"
    deleter = Pending(t3, "delete from share_items where id = 2")
    assert not deleter.blocked(), "another row is free"
    deleter.finish()
    t1.commit()
    assert writer.finish().result == 1
    t2.commit()
    t3.rollback()


def test_share_update_waits_for_every_share_holder():
    """An UPDATE waits until the last of two share holders has ended."""
    share_items()
    t1, t2, t3 = connect(), connect(), connect()
    run(t1, SHARE_ONE)
    run(t2, SHARE_ONE)
    writer = Pending(t3, "update share_items set v = 1 where id = 1")
    assert writer.blocked()
    t1.commit()
    assert writer.blocked(), "the second share holder still holds the row"
    t2.rollback()
    assert writer.finish().result == 1
    t3.commit()


def test_share_then_both_update_is_a_deadlock():
    """models/share_upgrade_deadlock.cr: two share holders that both update the row wait for
    each other; the deadlock detector fails one with 40P01 and the other updates."""
    share_items()
    t1, t2 = connect(), connect()
    run(t1, SHARE_ONE)
    run(t2, SHARE_ONE)
    first = Pending(t1, "update share_items set v = v + 1 where id = 1")
    assert first.blocked()
    second = Pending(t2, "update share_items set v = v + 1 where id = 1")
    first.finish()
    second.finish()
    codes = sorted(sqlstate(p.error) for p in (first, second) if p.error is not None)
    assert codes == ["40P01"], codes
    for conn, pending in ((t1, first), (t2, second)):
        (conn.rollback if pending.error else conn.commit)()


def test_share_sole_holder_updates_without_waiting():
    """The only share holder of a row updates it at once (its share lock is no conflict)."""
    share_items()
    t1 = connect()
    run(t1, SHARE_ONE)
    assert run(t1, "update share_items set v = 1 where id = 1") == 1
    t1.commit()


def test_share_nowait_on_a_for_update_row_is_55p03():
    """FOR SHARE NOWAIT on a row another transaction holds FOR UPDATE fails with 55P03; FOR
    UPDATE NOWAIT on a share-locked row too."""
    share_items()
    t1, t2 = connect(), connect()
    run(t1, "select v from share_items where id = 1 for update")
    fails_with(t2, "55P03", SHARE_ONE + " nowait")
    t2.rollback()
    t1.rollback()
    run(t1, SHARE_ONE)
    fails_with(t2, "55P03", "select v from share_items where id = 1 for update nowait")
    t2.rollback()
    t1.rollback()


def test_share_waits_for_for_update():
    """FOR SHARE waits for a FOR UPDATE holder, and FOR UPDATE for a share holder."""
    share_items()
    t1, t2 = connect(), connect()
    run(t1, "select v from share_items where id = 1 for update")
    sharer = Pending(t2, SHARE_ONE)
    assert sharer.blocked()
    t1.rollback()
    sharer.finish()
    locker = Pending(t1, "select v from share_items where id = 1 for update")
    assert locker.blocked()
    t2.rollback()
    locker.finish()
    t1.rollback()


def test_share_skip_locked():
    """FOR SHARE SKIP LOCKED skips a row held FOR UPDATE but not one held FOR SHARE."""
    share_items()
    t1, t2, t3 = connect(), connect(), connect()
    run(t1, "select v from share_items where id = 1 for update")
    run(t2, "select v from share_items where id = 2 for share")
    rows = run(t3, "select id from share_items order by id for share skip locked")
    assert rows == [(2,)], rows
    for t in (t1, t2, t3):
        t.rollback()


def test_share_joins_share_holders_ahead_of_a_waiting_writer():
    """A FOR SHARE joins the share holders of a row at once, even while an UPDATE waits for
    them (heap_lock_tuple does not sleep for a lock that conflicts with no holder)."""
    share_items()
    t1, t2, t3 = connect(), connect(), connect()
    run(t1, SHARE_ONE)
    writer = Pending(t2, "update share_items set v = 1 where id = 1")
    assert writer.blocked()
    joiner = Pending(t3, SHARE_ONE)
    assert not joiner.blocked(), "a share lock joins share holders"
    joiner.finish()
    t1.rollback()
    assert writer.blocked(), "the writer still waits for the new share holder"
    t3.rollback()
    writer.finish()
    t2.rollback()


def test_share_waiters_wait_side_by_side():
    """tests/golden/cases/share_waiters_side_by_side.cr: two FOR SHARE requests waiting for a row
    held FOR UPDATE both take the tuple lock (share modes do not conflict) and wait for the holder
    side by side. When the holder then waits for the second sharer, the deadlock is between those
    two only: the first sharer is never the victim, and gets the row once the cycle is broken."""
    share_items()
    holder, reader, second = connect(), connect(), connect()
    run(holder, "select v from share_items where id = 1 for update")
    first = Pending(reader, SHARE_ONE)
    assert first.blocked(), "the first sharer waits for the holder"
    run(second, "select v from share_items where id = 2 for update")
    beside = Pending(second, SHARE_ONE)
    assert beside.blocked(), "the second sharer waits for the holder too"
    cycle = Pending(holder, "update share_items set v = 1 where id = 2")
    cycle.finish()
    beside.finish()
    codes = sorted(sqlstate(p.error) for p in (cycle, beside) if p.error is not None)
    assert codes == ["40P01"], codes
    for conn, pending in ((holder, cycle), (second, beside)):
        (conn.rollback if pending.error else conn.commit)()
    assert first.finish().error is None, "the first sharer is in no cycle"
    reader.commit()


def test_share_repeatable_read_row_updated_after_snapshot_is_40001():
    """Under repeatable read, FOR SHARE of a row updated and committed after the snapshot fails
    with 40001, as FOR UPDATE does."""
    share_items()
    t1, t2 = connect(), connect("repeatable read")
    run(t2, "select 1")
    run(t1, "update share_items set v = 5 where id = 1")
    t1.commit()
    fails_with(t2, "40001", SHARE_ONE)
    t2.rollback()


def test_share_with_an_aggregate_is_refused():
    """tests/golden/errors/fail_for_share_aggregate.cr: 0A000, as for FOR UPDATE."""
    share_items()
    t1 = connect()
    fails_with(t1, "0A000", "select count(*) from share_items for share")
    t1.rollback()


# ---- serializable: where SSI fails a transaction (docs/semantics.md, "Serializable: SSI") ----

def ssi_doctors():
    setup("drop table if exists ssi_doctors; create table ssi_doctors(id int primary key, on_call int);"
          "insert into ssi_doctors values (1, 1), (2, 1);")
    return connect("serializable"), connect("serializable")


SSI_COUNT = "select count(*) from ssi_doctors where on_call = 1"
SSI_OFF = "update ssi_doctors set on_call = 0 where id = %d"


def test_ssi_write_after_the_other_committed_fails_at_the_write():
    """models/oncall_write_skew_serializable.cr: T1 and T2 read; T1 goes off call and commits;
    T2's update then makes T2 a pivot whose out-neighbour (T1) committed: it fails at the UPDATE
    (OnConflict_CheckForSerializationFailure), not at its commit."""
    t1, t2 = ssi_doctors()
    run(t1, SSI_COUNT)
    run(t2, SSI_COUNT)
    run(t1, SSI_OFF % 1)
    t1.commit()
    fails_with(t2, "40001", SSI_OFF % 2)
    t2.rollback()


def test_ssi_both_write_before_a_commit_fails_at_the_second_commit():
    """Both update before either commits: no write sees a committed out-neighbour, T1 commits,
    and T2 fails at its COMMIT."""
    t1, t2 = ssi_doctors()
    run(t1, SSI_COUNT)
    run(t2, SSI_COUNT)
    run(t1, SSI_OFF % 1)
    run(t2, SSI_OFF % 2)
    t1.commit()
    try:
        t2.commit()
        raise AssertionError("the commit must fail")
    except psycopg2.Error as e:
        assert sqlstate(e) == "40001", sqlstate(e)
    t2.rollback()


def test_ssi_insert_after_the_other_committed_fails_at_the_insert():
    """The phantom variant: each counts, T1 inserts and commits, T2's insert into the table T1
    read fails at the INSERT."""
    setup("drop table if exists ssi_slots; create table ssi_slots(id int primary key);")
    t1, t2 = connect("serializable"), connect("serializable")
    run(t1, "select count(*) from ssi_slots")
    run(t2, "select count(*) from ssi_slots")
    run(t1, "insert into ssi_slots values (1)")
    t1.commit()
    fails_with(t2, "40001", "insert into ssi_slots values (2)")
    t2.rollback()


def test_ssi_read_past_a_committed_writer_by_a_transaction_with_an_edge_in_fails_at_the_read():
    """T0 reads row 1, which T1 then updates (T0 -> T1); T2 updates row 2 and commits; T1 then
    reads row 2's old version (T1 -> T2, T2 committed): T1 is a pivot whose out-neighbour has
    committed, and PostgreSQL fails it at that SELECT."""
    setup("drop table if exists ssi_pair; create table ssi_pair(id int primary key, v int);"
          "insert into ssi_pair values (1, 0), (2, 0);")
    t0, t1, t2 = connect("serializable"), connect("serializable"), connect("serializable")
    run(t1, "select 1")
    run(t0, "select v from ssi_pair where id = 1")
    run(t1, "update ssi_pair set v = 1 where id = 1")
    run(t2, "update ssi_pair set v = 2 where id = 2")
    t2.commit()
    fails_with(t1, "40001", "select v from ssi_pair where id = 2")
    t1.rollback()
    t0.rollback()


def upsert_accounts():
    setup("drop table if exists upsert_accounts; create table upsert_accounts(id int primary key,"
          " email int unique, phone int unique, tries int not null default 0, check (tries <= 3));")


def test_on_conflict_do_update_meets_the_check_constraint():
    """tests/golden/cases/upsert_limit_and_check.cr: the update's new row is checked (23514)."""
    upsert_accounts()
    setup("insert into upsert_accounts values (1, 7, 70, 3)")
    t1 = connect()
    fails_with(t1, "23514", "insert into upsert_accounts values (2, 7, 80, 1) on conflict (email) do update "
               "set tries = upsert_accounts.tries + excluded.tries")
    t1.rollback()


def test_on_conflict_do_update_making_another_duplicate_is_23505():
    upsert_accounts()
    setup("insert into upsert_accounts values (1, 7, 70, 0); insert into upsert_accounts values (2, 8, 80, 0)")
    t1 = connect()
    fails_with(t1, "23505", "insert into upsert_accounts values (3, 7, 80, 0) on conflict (email) do update "
               "set phone = excluded.phone")
    t1.rollback()


def test_on_conflict_do_update_needs_a_target():
    upsert_accounts()
    t1 = connect()
    fails_with(t1, "42601", "insert into upsert_accounts values (1, 7, 70, 0) on conflict do update set tries = 1")
    t1.rollback()


def test_on_conflict_do_update_inserts_when_the_conflict_is_deleted():
    """Read committed: the conflicting row's deletion commits while the upsert waits; it inserts."""
    upsert_accounts()
    setup("insert into upsert_accounts values (1, 7, 70, 0)")
    t1, t2 = connect(), connect()
    run(t1, "delete from upsert_accounts where id = 1")
    second = Pending(t2, "insert into upsert_accounts values (2, 7, 80, 1) on conflict (email) do update "
                     "set tries = upsert_accounts.tries + 1")
    assert second.blocked()
    t1.commit()
    second.finish()
    assert second.error is None and second.result == 1
    t2.commit()
    conn = connect()
    assert run(conn, "select id, tries from upsert_accounts") == [(2, 1)]
    conn.close()


def test_on_conflict_do_update_waits_for_a_lock_without_a_write():
    """tests/unit/explore/db_upsert_test.cpp: a row only locked (for update) makes the upsert wait."""
    upsert_accounts()
    setup("insert into upsert_accounts values (1, 7, 70, 0)")
    t1, t2 = connect(), connect()
    run(t1, "select tries from upsert_accounts where id = 1 for update")
    second = Pending(t2, "insert into upsert_accounts values (2, 7, 80, 1) on conflict (email) do update "
                     "set tries = upsert_accounts.tries + excluded.tries")
    assert second.blocked()
    t1.commit()
    second.finish()
    assert second.error is None and second.result == 1
    t2.commit()
    conn = connect()
    assert run(conn, "select tries from upsert_accounts where id = 1") == [(1,)]
    conn.close()


def test_dead_connection_rolls_back_and_frees_its_row_locks():
    """docs/semantics.md, "Crashes" (tests/unit/symbolic/crash_test.cpp): a request that dies in
    the middle of a transaction. Its TCP connection closes without a word (no ROLLBACK, no
    Terminate message); PostgreSQL rolls the transaction back at once and the transaction waiting
    for its row lock goes on, on the committed row."""
    accounts()
    t1, t2 = connect(), connect()
    assert run(t1, "update accounts set balance = balance - 10 where id = 1") == 1
    assert run(t1, "update accounts set balance = balance + 10 where id = 2") == 1
    second = Pending(t2, "update accounts set balance = balance - 80 where id = 1 and balance >= 80")
    assert second.blocked(), "the second update waits for the row lock of the first transaction"
    # The process dies: the kernel closes its socket; the client library never sends anything.
    dead = socket.socket(fileno=os.dup(t1.fileno()))
    dead.shutdown(socket.SHUT_RDWR)
    dead.close()
    second.finish()
    assert second.error is None and second.result == 1, "the row lock is free and the write undone: 100 >= 80"
    t2.commit()
    assert balance_of(1) == 20 and balance_of(2) == 50, "nothing of the dead transaction stays"
    try:
        t1.close()
    except Exception:
        pass  # the connection is dead already


def test_redis_ttl_and_pttl_values():
    """docs/semantics.md, Redis: Redis 7's TTL and PTTL, -2 for a missing key and -1 for one
    without a time to live (the only answers racecheck models); after EXPIRE the time left; INCR
    keeps the time to live and a SET without KEEPTTL drops it."""
    a = client()
    a.delete("ttl_values")
    assert a.ttl("ttl_values") == -2 and a.pttl("ttl_values") == -2
    a.set("ttl_values", 1)
    assert a.ttl("ttl_values") == -1 and a.pttl("ttl_values") == -1
    assert a.expire("ttl_values", 100)
    assert 99 <= a.ttl("ttl_values") <= 100
    assert 99000 < a.pttl("ttl_values") <= 100000
    a.incr("ttl_values")
    assert a.ttl("ttl_values") > 0, "INCR keeps the time to live"
    a.set("ttl_values", 5)
    assert a.ttl("ttl_values") == -1, "SET without KEEPTTL drops the time to live"
    # TTL rounds the milliseconds left to the nearest second (ttlGenericCommand: (ttl+500)/1000).
    a.set("ttl_values", 5, px=1600)
    assert a.ttl("ttl_values") == 2


def test_redis_ttl_rounding():
    """docs/semantics.md, Time: in a timed model TTL answers (ms + 500) / 1000 of the ms left and
    PTTL the ms, never more than the time to live given."""
    a = client()
    a.delete("ttl_round")
    a.set("ttl_round", 1, px=499)
    assert a.ttl("ttl_round") == 0, "under half a second left rounds to 0"
    assert 0 < a.pttl("ttl_round") <= 499
    a.set("ttl_round", 1, px=1000)
    assert a.ttl("ttl_round") == 1
    assert 0 < a.pttl("ttl_round") <= 1000
    a.delete("ttl_round")


def test_redis_set_keepttl_and_get():
    """docs/language.md, Redis: SET ... KEEPTTL keeps the lease; SET ... GET answers the old
    value (nil when absent) whether or not NX or XX let it set, as Redis 7 allows; the option
    combinations racecheck refuses are syntax errors in Redis."""
    a = client()
    a.delete("set_opts")
    a.set("set_opts", 1, px=100000)
    assert a.set("set_opts", 2, keepttl=True)
    assert a.pttl("set_opts") > 0, "KEEPTTL keeps the time to live"
    a.delete("set_opts")
    assert a.set("set_opts", 1, get=True) is None
    assert a.set("set_opts", 2, nx=True, get=True) == b"1", "NX refused: still the old value"
    assert a.get("set_opts") == b"1"
    assert a.set("set_opts", 3, xx=True, get=True) == b"1"
    assert a.set("set_missing", 4, xx=True, get=True) is None
    for refused in (["NX", "XX"], ["EX", "1", "PX", "1000"], ["KEEPTTL", "PX", "1000"],
                    ["PX", "1000", "KEEPTTL"], ["KEEPTTL", "EX", "1"]):
        try:
            a.execute_command("SET", "set_opts", 9, *refused)
        except redis.exceptions.ResponseError as error:
            assert "syntax error" in str(error), error
        else:
            raise AssertionError(f"SET {refused} was accepted")
    assert a.get("set_opts") == b"3"


def main():
    tests = [(name, fn) for name, fn in globals().items() if name.startswith("test_") and callable(fn)]
    passed = failed = 0
    for name, fn in tests:
        try:
            fn()
            passed += 1
            print(f"ok   {name}")
        except Exception:
            failed += 1
            print(f"FAIL {name}")
            traceback.print_exc()
    print(f"conformance: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
