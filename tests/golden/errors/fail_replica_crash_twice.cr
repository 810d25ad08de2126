// replica crashes are declared once
model m
runtime threads(replicas = 2)
replica may crash
replica may crash at most 2
shared n = 0
process P[2] { n += 1 }
