// A runtime error inside a fn names the line in the fn and the call it came from (issue 12).
model fn_runtime_error
runtime threads

shared count = 0
shared total = 10

fn average(sum, n) {
    return sum / n
}

process Report {
    let n = count
    let avg = average(total, n)
}
