// A bounds check before a shared read: `and`, `or` and `if ... then ... else` read the shared
// array only where the guard lets them, as every language does (round 20: arr[3] was read, and
// each scan reported "index 3 is outside arr[0..2]").
model short_circuit_shared_reads
shared arr[3] = {1, 2, 3}
ghost found = 0
process Scan {
    let i = 0
    while i < 3 and arr[i] > 0 {
        i += 1
    }
    let v = if i < 3 then arr[i] else 0
    if i >= 3 or arr[i] == 0 {
        found += 1
    }
}
final scanned: found == 1
expect safe
