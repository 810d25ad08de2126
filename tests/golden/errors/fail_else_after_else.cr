// From reworking the else-if grammar into a loop (issue 13): a plain else must end its chain.
model m
shared x = 0
process P {
    let a = x
    if a == 0 { x = 1 } else { x = 2 } else if a == 1 { x = 3 }
}
