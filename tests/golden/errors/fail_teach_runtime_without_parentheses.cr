// The runtime setting without parentheses.
model m
runtime event_loop replicas = 2
process Web[2] { skip }
