// Parameters written after the placement.
model m
runtime event_loop(replicas = 2)
process Web[2] on replica self (amount = 10) {
    skip
}
