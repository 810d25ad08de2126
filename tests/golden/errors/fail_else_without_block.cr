// From reworking the else-if grammar into a loop (issue 13): after else, an if or a block.
model m
shared x = 0
process P {
    let a = x
    if a == 0 { x = 1 } else x = 2
}
