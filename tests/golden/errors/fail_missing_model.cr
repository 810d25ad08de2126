// the model header is missing
shared x = 0
