// names declared twice
model m
shared x = 0
ghost x = 1
process P { let y = 1
  let y = 2 }
process P { skip }
