// The runtime's setting is 'replicas'.
model fail_runtime_replica_setting
runtime event_loop(replica = 2)
shared x = 0
process W[2] {
    x += 1
}
final ok: x == 2
