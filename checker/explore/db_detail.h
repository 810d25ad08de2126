// Small helpers the database files share (db.cpp, db_statements.cpp, db_ssi.cpp): outcomes,
// and the bit encodings of a row's dirty slot and of the SSI instance sets.
#pragma once

#include <algorithm>
#include <string>

#include "checker/explore/db.h"

namespace racecheck::explore::db_detail {

using ir::Value;

// The dirty slot of a row: bit 0 while it has an uncommitted version, and a bit per column the
// transaction wrote (columns past 29 share the last bit).
constexpr Value DirtyBit(int32_t column) { return Value{2} << std::min(column, 29); }

inline DbOutcome Failed(ir::DbFailure failure) {
  DbOutcome outcome;
  outcome.kind = DbOutcome::Kind::kFailed;
  outcome.failure = failure;
  return outcome;
}

inline DbOutcome Waiting(DbOutcome::Kind kind, int32_t slot) {
  DbOutcome outcome;
  outcome.kind = kind;
  outcome.blocked_slot = slot;
  return outcome;
}

inline DbOutcome Error(std::string error) {
  DbOutcome outcome;
  outcome.kind = DbOutcome::Kind::kError;
  outcome.error = std::move(error);
  return outcome;
}

constexpr Value Bit(int32_t instance) { return Value{1} << instance; }

inline Value StatusValue(ir::TxnStatus status) { return static_cast<Value>(status); }
inline Value SsiValue(ir::SsiStatus status) { return static_cast<Value>(status); }

}  // namespace racecheck::explore::db_detail
