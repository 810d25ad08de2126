// SQL inside a Redis script: the script runs inside Redis, which cannot reach the database.
model fail_sql_in_redis_script
table t(id key, v) { (1, 0) }
redis { k = 0 }
process W {
    redis.eval {
        let v = select v from t where id = 1
        redis.SET(k, v)
    }
}
invariant ok: redis.k >= 0
