// `total += await fetch_price()` reads total before the call, as JavaScript, Java and Python
// do: both requests read 0, await, and write 10, so one price is lost (ESLint's
// require-atomic-updates). Round 14 found the read made after the fn's await, and this SAFE.
model fn_compound_reads_target_first
runtime event_loop
redis { price = 10 }
shared total = 0
fn fetch_price() {
    let p = await redis.GET(price)
    return p
}
process Request[2] {
    total += await fetch_price()
}
final both_counted: total == 20
expect violation both_counted
