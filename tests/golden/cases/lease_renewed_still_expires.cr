// A lease renewed by a compare-and-PEXPIRE script before each piece of work still runs out
// between a renewal and the work (a pause longer than the TTL): the report's fixes say that
// renewing, which the model does already, narrows the window and cannot close it.
//   if r.set("lease", me, nx=True, px=30000):
//       for chunk in work:
//           if not renew(me): break        # lua: if get==me then pexpire
//           do(chunk)
//       release(me)                        # lua: if get==me then del
model lease_renewed_still_expires
runtime threads

redis { lease }
ghost holders = 0

fn renew(me) {
    let ok = false
    redis.eval {
        if redis.GET(lease) == me {
            redis.PEXPIRE(lease, 30000)
            ok = true
        }
    }
    return ok
}

fn drop_lease(me) {
    redis.eval {
        if redis.GET(lease) == me {
            redis.DEL(lease)
        }
    }
}

shared working = 0

process Worker[2] {
    let me = self + 1
    if redis.SET(lease, me, NX, PX = 30000) {
        retry at most 2 {
            let ok = renew(me)
            if not ok {
                break
            }
            working += 1          // do(chunk): two steps, another holder may be inside too
            working -= 1
            continue
        }
        drop_lease(me)
    }
}

invariant mutual_exclusion: working <= 1
cover worked: working == 1
expect violation mutual_exclusion
