// The random numbers of the model generators: splitmix64 from a seed, the same on every
// machine and standard library, so a seed names one model for good.
#pragma once

#include <cstdint>
#include <string>

namespace racecheck::symbolic::testing {

class SeededRandom {
 public:
  // `stream` keeps two generators given the same seed apart.
  SeededRandom(uint64_t seed, uint64_t stream, uint64_t offset) : state_(seed * stream + offset) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // 0..n-1 (0 when n <= 1).
  int Below(int n) { return n <= 1 ? 0 : static_cast<int>(Next() % static_cast<uint64_t>(n)); }

 private:
  uint64_t state_;
};

// A process's crash clause (docs/language.md, "Crashes"): mostly none, sometimes `may crash`,
// now and then with a retry. Drawn from a generator of its own (CrashRandom), so that the rest
// of a model is what its seed made before crashes existed.
inline std::string CrashClause(SeededRandom& random) {
  switch (random.Below(8)) {
    case 0:
    case 1: return " may crash";
    case 2: return " may crash on crash retry at most 1";
    default: return "";
  }
}
inline SeededRandom CrashRandom(uint64_t seed) { return SeededRandom(seed, 0xC4A5B1E5ULL, 7); }

// Replicas that may crash (docs/language.md, "Replica crashes"): now and then two replicas, now
// and then `replica may crash`, drawn from a generator of its own (ReplicaRandom), so that the
// rest of a model is what its seed made before replica crashes existed. Returns the runtime's
// setting ("" or "(replicas = 2)") and sets `declaration` to the line to add, if any.
inline std::string ReplicaClause(SeededRandom& random, std::string* declaration) {
  std::string setting = random.Below(4) == 0 ? "(replicas = 2)" : "";
  switch (random.Below(6)) {
    case 0: *declaration = "replica may crash\n"; break;
    case 1: *declaration = "replica may crash at most 2\n"; break;
    default: declaration->clear(); break;
  }
  return setting;
}
inline SeededRandom ReplicaRandom(uint64_t seed) { return SeededRandom(seed, 0x5E9A1CA5ULL, 13); }

// Whether a process's body moves into a fn (docs/language.md, "Procedures"): a generator of its
// own too, so models without fns are what their seeds made before fns existed.
inline SeededRandom FnRandom(uint64_t seed) { return SeededRandom(seed, 0xF00DF00DULL, 11); }

}  // namespace racecheck::symbolic::testing
