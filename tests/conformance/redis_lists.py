"""Redis 7 list behaviour that racecheck's list keys rest on (docs/semantics.md, "Lists").
Imported by scenarios.py, whose main() runs every test_ function it sees."""

import os
import threading
import time

import redis

REDIS_PORT = int(os.environ["RACECHECK_REDIS_PORT"])


def list_client():
    return redis.Redis(host="127.0.0.1", port=REDIS_PORT)


def test_redis_list_push_pop_results_and_empty_key_disappears():
    """LPUSH/RPUSH give the new length, LPOP/RPOP the end element, nil on an empty list, and a
    list that becomes empty no longer exists."""
    a = list_client()
    a.delete("lq")
    assert a.rpush("lq", 1) == 1
    assert a.lpush("lq", 0) == 2
    assert a.rpush("lq", 2) == 3
    assert a.llen("lq") == 3
    assert a.lpop("lq") == b"0"
    assert a.rpop("lq") == b"2"
    assert a.rpop("lq") == b"1"
    assert a.exists("lq") == 0, "an empty list is no key"
    assert a.lpop("lq") is None
    assert a.llen("lq") == 0


def test_redis_lrem_counts_from_either_end():
    """LREM: count > 0 from the head, < 0 from the tail, 0 all; the result is how many."""
    a = list_client()
    a.delete("lr")
    a.rpush("lr", 7, 7, 8, 7)
    assert a.lrem("lr", -2, 7) == 2
    assert a.lrange("lr", 0, -1) == [b"7", b"8"]
    assert a.lrem("lr", 0, 9) == 0
    assert a.lrem("lr", 1, 7) == 1
    assert a.lrange("lr", 0, -1) == [b"8"]


def test_redis_lmove_moves_atomically_and_does_nothing_on_an_empty_source():
    """LMOVE pops one end and pushes the other in one command; RPOPLPUSH is LMOVE RIGHT LEFT; an
    empty source gives nil and changes nothing; a list onto itself rotates."""
    a = list_client()
    a.delete("jobs", "processing")
    a.rpush("jobs", 1, 2, 3)
    assert a.lmove("jobs", "processing", "RIGHT", "LEFT") == b"3"
    assert a.rpoplpush("jobs", "processing") == b"2"
    assert a.lrange("processing", 0, -1) == [b"2", b"3"]
    assert a.lmove("processing", "processing", "LEFT", "RIGHT") == b"2"
    assert a.lrange("processing", 0, -1) == [b"3", b"2"]
    a.delete("jobs")
    assert a.lmove("jobs", "processing", "LEFT", "LEFT") is None
    assert a.llen("processing") == 2
    # Atomic: with two clients moving all the time, every element is always in one of the lists.
    a.delete("jobs", "processing")
    a.rpush("jobs", *range(50))
    stop = threading.Event()

    def mover():
        c = list_client()
        while c.lmove("jobs", "processing", "RIGHT", "LEFT") is not None:
            pass
        stop.set()

    thread = threading.Thread(target=mover)
    thread.start()
    while not stop.is_set():
        with a.pipeline(transaction=True) as pipe:
            pipe.llen("jobs")
            pipe.llen("processing")
            waiting, taken = pipe.execute()
        assert waiting + taken == 50, "no element is between the two lists"
    thread.join()


def test_redis_blpop_waits_until_a_push_wakes_it():
    """BLPOP on an empty list blocks until another client pushes; it then gets that element
    (racecheck gives the element; Redis gives [key, element])."""
    a, b = list_client(), list_client()
    a.delete("bq")
    got = []
    thread = threading.Thread(target=lambda: got.append(a.blpop(["bq"], timeout=5)))
    thread.start()
    time.sleep(0.2)
    assert not got, "BLPOP waits while the list is empty"
    b.rpush("bq", 5)
    thread.join()
    assert got == [(b"bq", b"5")]
    assert b.exists("bq") == 0


def test_redis_blpop_inside_multi_does_not_block():
    """Inside MULTI a blocking pop behaves as its plain form: nil on an empty list."""
    a = list_client()
    a.delete("bm")
    with a.pipeline(transaction=True) as pipe:
        pipe.blpop(["bm"], timeout=0)
        assert pipe.execute() == [None]


def test_redis_list_command_on_a_string_is_wrongtype():
    """A list command on a string key (and GET on a list) is WRONGTYPE: racecheck rejects both
    before the run."""
    a = list_client()
    a.delete("wt_list")
    a.set("wt_string", 1)
    a.rpush("wt_list", 1)
    for call in (lambda: a.lpush("wt_string", 1), lambda: a.get("wt_list")):
        try:
            call()
            refused = False
        except redis.exceptions.ResponseError as e:
            refused = "WRONGTYPE" in str(e)
        assert refused
