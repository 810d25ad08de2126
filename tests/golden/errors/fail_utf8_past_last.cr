// Found by the fuzzer (tests/fuzz/pipeline_fuzzer.cpp): the bytes F6 8C 97 A0 in a comment have
// the shape of UTF-8 but would be a code point past U+10FFFF (overlong forms such as C0 80 did the
// same). The input check let them through, ANTLR's decoder threw, and racecheck aborted.
model bad
shared x = 0 // öŒ— 
