// racecheck-args: --max-states 1000
// Issue 13: limits hold inside one step's choices. This step has 4,294,967,295 branches; the
// search used to generate them all (116 s) before it looked at --max-states.
model limit_in_choose
shared x = 0
process P {
    choose n in -2147483647..2147483647
    x = n
}
