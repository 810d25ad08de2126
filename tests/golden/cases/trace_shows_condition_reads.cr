// A trace shows what an `if` condition read, though the statement is done within the step:
// both threads read has_client = false, which is the race. An array element's read is named
// by its index, a Redis answer by its command.
model trace_shows_condition_reads
runtime threads
shared has_client = false
shared hits[0..2] = 0
shared clients = 0
redis { seen }
process Init[2] {
    if not has_client {
        if redis.GET(seen) == null {
            hits[self + 1] += 1
            clients += 1
        }
        has_client = true
    }
}
final one_client: clients <= 1
expect violation one_client
