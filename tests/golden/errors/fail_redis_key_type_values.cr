// A key that names its enum takes only that enum's values: as its initial value, as a set's
// members, and in commands (INCR counts, and a Phase key holds no numbers).
model redis_key_type_values
enum Phase { running, done }
enum Color { red }
redis { d: Phase = red, e: Phase = 3, f: set(2) of Phase = [running, red], g: Phase = null, h: Phase }
process P {
    redis.SET(h, 1)
    redis.INCR(h)
}
