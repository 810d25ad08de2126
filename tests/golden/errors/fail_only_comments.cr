// a file with nothing but a comment
/* and a block */
