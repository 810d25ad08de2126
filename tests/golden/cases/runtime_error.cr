// Division by zero in some interleaving is a finding, with its trace.
model runtime_error
shared divisor = 1
process Zero { divisor = 0 }
process Divide {
    let d = divisor
    let q = 100 / d
}
