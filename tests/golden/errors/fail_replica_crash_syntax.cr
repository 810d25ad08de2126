// 'replica may crash' takes only 'at most K' after it
model m
replica may crash and restart
shared n = 0
process P { n += 1 }
