"""Redis 7 hash and set behaviour that racecheck's hash and set keys rest on (docs/semantics.md,
"Hashes and sets"). Imported by scenarios.py, whose main() runs every test_ function it sees."""

import os

import redis

REDIS_PORT = int(os.environ["RACECHECK_REDIS_PORT"])


def hash_client():
    return redis.Redis(host="127.0.0.1", port=REDIS_PORT)


def test_redis_hset_hget_hsetnx_results():
    """HSET gives the number of fields added (an update adds none, a repeated field counts once),
    HGET nil for a missing field or key, HSETNX 1 only for a missing field (cart_hget_hset)."""
    a = hash_client()
    a.delete("hcart", "hmissing")
    assert a.hset("hcart", "4", 1) == 1
    assert a.hset("hcart", mapping={"2": 5, "4": 9}) == 1, "4 is updated, not added"
    assert a.execute_command("HSET", "hcart", "8", 1, "8", 2) == 1, "a repeated field: the last value wins"
    assert a.hget("hcart", "8") == b"2"
    assert a.hget("hcart", "4") == b"9"
    assert a.hget("hcart", "3") is None
    assert a.hget("hmissing", "3") is None
    assert a.hsetnx("hcart", "4", 7) == 0
    assert a.hget("hcart", "4") == b"9", "HSETNX on an existing field changes nothing"
    assert a.hsetnx("hcart", "5", 7) == 1
    assert a.hexists("hcart", "5") == 1 and a.hexists("hcart", "6") == 0
    assert a.hlen("hcart") == 4 and a.hlen("hmissing") == 0


def test_redis_hincrby_creates_missing_fields_and_keys():
    """HINCRBY counts a missing field, or a missing key, from 0 and gives the new value
    (cart_hincrby)."""
    a = hash_client()
    a.delete("hinc")
    assert a.hincrby("hinc", "7", 1) == 1
    assert a.hincrby("hinc", "7", -3) == -2
    assert a.hincrby("hinc", "9", 5) == 5
    assert a.hlen("hinc") == 2


def test_redis_hdel_of_the_last_field_deletes_the_key():
    """HDEL gives the number removed (missing fields count 0); the last field takes the key with
    it: EXISTS 0, TTL -2."""
    a = hash_client()
    a.delete("hdel")
    a.hset("hdel", mapping={"1": 1, "2": 2})
    assert a.hdel("hdel", "1", "3") == 1
    assert a.exists("hdel") == 1
    assert a.hdel("hdel", "2") == 1
    assert a.exists("hdel") == 0
    assert a.ttl("hdel") == -2
    assert a.hdel("hdel", "2") == 0


def test_redis_sadd_srem_results_and_the_last_member_deletes_the_key():
    """SADD and SREM give how many members they added or removed, SISMEMBER 0 or 1, SCARD the
    size; the last member removed takes the key with it (idempotency_sadd)."""
    a = hash_client()
    a.delete("sseen")
    assert a.sadd("sseen", 5, 1) == 2
    assert a.sadd("sseen", 3, 5) == 1, "5 is already there"
    assert a.sismember("sseen", 3) == 1 and a.sismember("sseen", 4) == 0
    assert a.scard("sseen") == 3
    assert a.srem("sseen", 1, 7) == 1
    assert a.srem("sseen", 3, 5) == 2
    assert a.exists("sseen") == 0
    assert a.ttl("sseen") == -2
    assert a.scard("sseen") == 0 and a.sismember("sseen", 5) == 0


def test_redis_hash_and_set_commands_on_other_types_are_wrongtype():
    """A hash command on a string, a list or a set key, a set command on a hash, and GET or INCR
    on a hash are WRONGTYPE: racecheck rejects them before the run."""
    a = hash_client()
    a.delete("wt_h", "wt_s", "wt_l", "wt_str")
    a.hset("wt_h", "1", 1)
    a.sadd("wt_s", 1)
    a.rpush("wt_l", 1)
    a.set("wt_str", 1)
    calls = (lambda: a.hset("wt_str", "1", 1), lambda: a.hget("wt_l", "1"), lambda: a.hincrby("wt_s", "1", 1),
             lambda: a.sadd("wt_h", 1), lambda: a.sismember("wt_str", 1), lambda: a.get("wt_h"),
             lambda: a.incr("wt_h"), lambda: a.lpush("wt_s", 1))
    for call in calls:
        try:
            call()
            refused = False
        except redis.exceptions.ResponseError as e:
            refused = "WRONGTYPE" in str(e)
        assert refused


def test_redis_hset_inside_multi_touches_watchers_even_without_change():
    """HSET of a field to the value it already has still counts as a change for WATCH, so a
    watcher's EXEC is refused; SADD of a member already there does not."""
    a, b = hash_client(), hash_client()
    a.delete("hw", "sw")
    a.hset("hw", "1", 1)
    a.sadd("sw", 1)
    with a.pipeline(transaction=True) as pipe:
        pipe.watch("hw")
        b.hset("hw", "1", 1)
        pipe.multi()
        pipe.hget("hw", "1")
        try:
            pipe.execute()
            refused = False
        except redis.exceptions.WatchError:
            refused = True
    assert refused
    with a.pipeline(transaction=True) as pipe:
        pipe.watch("sw")
        assert b.sadd("sw", 1) == 0
        pipe.multi()
        pipe.scard("sw")
        assert pipe.execute() == [1]
