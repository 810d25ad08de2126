#include "checker/symbolic/db_terms.h"

#include <algorithm>

#include "checker/base/diagnostics.h"

namespace racecheck::symbolic {

// ---- layout ------------------------------------------------------------------------------

namespace {

// The flags db.cpp keeps in one bitmask, each in a slot of its own here, in this order; the
// last two only when some transaction is serializable.
constexpr ir::RowFlag kSplitFlags[] = {ir::kRowTodo, ir::kRowMatched, ir::kRowStale, ir::kRowRead, ir::kRowStaleOut};

int32_t FlagIndex(ir::RowFlag flag) {
  for (int32_t k = 0; k < 5; ++k) {
    if (kSplitFlags[k] == flag) return k;
  }
  RACECHECK_CHECK(false, "a row flag the z3 engine does not keep");
}

}  // namespace

DbLayout::DbLayout(const ir::Program& program) : program_(program), slot_count_(program.slot_count) {
  for (const ir::Transaction& txn : program.transactions) {
    serializable_ = serializable_ || txn.isolation == ir::Isolation::kSerializable;
  }
  flags_per_row_ = serializable_ ? 5 : 3;
  auto n = static_cast<int32_t>(program.instances.size());
  for (int32_t i = 0; i < n; ++i) {
    const ir::ProcessDb& db = program.processes[program.instances[i].process].db;
    if (db.txn >= 0) txn_instances_.push_back(i);
    std::vector<int32_t> per_table(program.tables.size(), -1);
    for (size_t t = 0; t < program.tables.size() && t < db.row_flags.size(); ++t) {
      if (db.row_flags[t] < 0) continue;
      per_table[t] = slot_count_;
      slot_count_ += program.tables[t].capacity * flags_per_row_ + 1;
    }
    flags_.push_back(std::move(per_table));
    ssi_.push_back(serializable_ && db.txn >= 0 ? slot_count_ : -1);
    if (ssi_.back() >= 0) slot_count_ += 3 * n + 2;
  }
}

int32_t DbLayout::Flag(int32_t instance, int32_t table, int32_t row, ir::RowFlag flag) const {
  int32_t first = flags_[instance][table];
  int32_t index = FlagIndex(flag);
  return first < 0 || index >= flags_per_row_ ? -1 : first + row * flags_per_row_ + index;
}

int32_t DbLayout::PredicateRead(int32_t instance, int32_t table) const {
  int32_t first = flags_[instance][table];
  return first < 0 || !serializable_ ? -1 : first + program_.tables[table].capacity * flags_per_row_;
}

int32_t DbLayout::Ssi(int32_t instance, ir::TxnSlot set, int32_t other) const {
  int32_t first = ssi_[instance];
  if (first < 0) return -1;
  auto n = static_cast<int32_t>(program_.instances.size());
  int32_t at = other < 0 ? n : other;
  switch (set) {
    case ir::kSsiIn: return first + at;
    case ir::kSsiOut: return first + n + 1 + at;
    case ir::kSsiConcurrent:
      RACECHECK_CHECK(other >= 0, "kSsiOther in the set of concurrent transactions");
      return first + 2 * n + 2 + other;
    default: break;
  }
  RACECHECK_CHECK(false, "an SSI set the z3 engine does not keep");
}

int32_t DbLayout::Txn(int32_t instance, ir::TxnSlot slot) const {
  const ir::Instance& inst = program_.instances[instance];
  int32_t txn = program_.processes[inst.process].db.txn;
  return txn < 0 ? -1 : inst.base_slot + txn + slot;
}

int32_t DbLayout::Snapshot(int32_t instance, int32_t table, int32_t row, int32_t column) const {
  const ir::Instance& inst = program_.instances[instance];
  const ir::ProcessDb& db = program_.processes[inst.process].db;
  if (db.snapshot.empty() || db.snapshot[table] < 0) return -1;
  const ir::Table& t = program_.tables[table];
  return inst.base_slot + db.snapshot[table] + row * (t.column_count() + 1) + 1 + column;
}

// ---- one operation -------------------------------------------------------------------------

// A row version as db.cpp's pointers see it: [exists, values...].
using Version = std::vector<z3::expr>;

class DbEncoder::Run {
 public:
  Run(DbEncoder& owner, int32_t instance, const z3::expr& guard, const Base& base, const std::vector<z3::expr>& locals)
      : program_(owner.program_),
        layout_(owner.layout_),
        terms_(owner.terms_),
        exprs_(owner.exprs_),
        instance_(instance),
        base_(base),
        live_(guard),
        locals_(locals),
        me_(terms_.Slot(instance + 1)),
        out_{Empty(), Empty(), terms_.False(), terms_.Slot(0), Empty(), {}, terms_.False(), {}, {}} {}

  DbOutcome Finish() {
    Keep(out_.done, terms_.True());
    return std::move(out_);
  }

  // ---- the state ----
  z3::expr Get(int32_t slot) {
    RACECHECK_CHECK(slot >= 0, "a database slot the program does not have");
    out_.reads.insert(slot);
    auto it = current_.find(slot);
    return it != current_.end() ? it->second : base_(slot);
  }
  // Values in states that have already returned do not matter: writes need no `live_`. The
  // value kept where `when` fails is no read: the write is in the footprint anyway.
  void Set(int32_t slot, const z3::expr& value, const z3::expr& when) {
    if (slot < 0 || when.is_false()) return;
    out_.writes.insert(slot);
    auto it = current_.find(slot);
    z3::expr before = it != current_.end() ? it->second : base_(slot);
    current_.insert_or_assign(slot, when.is_true() ? value : terms_.Ite(when, value, before));
  }
  z3::expr Slot(int64_t v) { return terms_.Slot(v); }
  z3::expr NonZero(const z3::expr& v) { return terms_.Not(terms_.Eq(v, Slot(0))); }
  z3::expr Is(const z3::expr& v, int64_t n) { return terms_.Eq(v, Slot(n)); }
  z3::expr And(const z3::expr& a, const z3::expr& b) { return terms_.And(a, b); }
  z3::expr Or(const z3::expr& a, const z3::expr& b) { return terms_.Or(a, b); }
  z3::expr Not(const z3::expr& a) { return terms_.Not(a); }

  // ---- returning ----
  // The states where `when` holds leave the operation through `branch`.
  void Keep(DbBranch& branch, const z3::expr& when) {
    z3::expr c = And(live_, when);
    if (c.is_false()) return;
    for (const auto& [slot, value] : current_) {
      auto it = branch.slots.find(slot);
      z3::expr before = it != branch.slots.end() ? it->second : base_(slot);
      branch.slots.insert_or_assign(slot, terms_.Ite(c, value, before));
    }
    for (auto& [slot, value] : branch.slots) {
      if (!current_.contains(slot)) value = terms_.Ite(c, base_(slot), value);
    }
    for (size_t k = 0; k < locals_.size(); ++k) branch.locals[k] = terms_.Ite(c, locals_[k], branch.locals[k]);
    branch.when = Or(branch.when, c);
    live_ = And(live_, Not(when));
  }
  // The transaction fails with `failure` where `when` holds.
  void Failed(const z3::expr& when, ir::DbFailure failure) { Failed(when, Slot(ir::FailureName(failure))); }
  void Failed(const z3::expr& when, const z3::expr& name) {
    z3::expr c = And(live_, when);
    if (c.is_false()) return;
    out_.failure_names.emplace_back(c, name);
    Keep(out_.failed, when);
  }
  void Block(const z3::expr& when, const z3::expr& holder) {
    z3::expr c = And(live_, when);
    if (c.is_false()) return;
    out_.blocked = Or(out_.blocked, c);
    out_.holder = terms_.Ite(c, holder, out_.holder);
    live_ = And(live_, Not(when));
  }
  void Error(const z3::expr& when) {
    z3::expr c = And(live_, when);
    if (c.is_false()) return;
    out_.error = Or(out_.error, c);
    live_ = And(live_, Not(when));
  }
  DbOutcome& out() { return out_; }

  // ---- transactions (db.cpp's Begin, Start, CommitRows, ReleaseRows, EndTransaction) ----
  z3::expr Txn(ir::TxnSlot slot) { return Get(layout_.Txn(instance_, slot)); }
  z3::expr HasSnapshot(int32_t instance) {
    z3::expr status = Get(layout_.Txn(instance, ir::kTxnStatus));
    z3::expr isolation = Get(layout_.Txn(instance, ir::kTxnIsolation));
    return And(Is(status, static_cast<int64_t>(ir::TxnStatus::kSnapshot)),
               Not(Is(isolation, static_cast<int64_t>(ir::Isolation::kReadCommitted))));
  }
  z3::expr ReadCommitted(const ir::SqlStatement& sql) {
    if (sql.autocommit) return terms_.True();
    return Is(Txn(ir::kTxnIsolation), static_cast<int64_t>(ir::Isolation::kReadCommitted));
  }

  void Begin(ir::Isolation isolation) {
    Set(layout_.Txn(instance_, ir::kTxnStatus), Slot(static_cast<int64_t>(ir::TxnStatus::kBegun)), terms_.True());
    Set(layout_.Txn(instance_, ir::kTxnIsolation), Slot(static_cast<int64_t>(isolation)), terms_.True());
  }

  // The transaction's first statement: repeatable read takes its snapshot.
  void Start(const ir::SqlStatement& sql, const z3::expr& when) {
    if (sql.autocommit) return;
    z3::expr begun = And(when, Is(Txn(ir::kTxnStatus), static_cast<int64_t>(ir::TxnStatus::kBegun)));
    z3::expr snapshot = And(begun, Not(Is(Txn(ir::kTxnIsolation), static_cast<int64_t>(ir::Isolation::kReadCommitted))));
    z3::expr serializable = And(begun, Is(Txn(ir::kTxnIsolation), static_cast<int64_t>(ir::Isolation::kSerializable)));
    Set(layout_.Txn(instance_, ir::kTxnStatus), Slot(static_cast<int64_t>(ir::TxnStatus::kSnapshot)), begun);
    for (size_t ti = 0; ti < program_.tables.size(); ++ti) {
      auto t = static_cast<int32_t>(ti);
      const ir::Table& table = program_.tables[t];
      if (layout_.Snapshot(instance_, t, 0, -1) < 0) continue;
      for (int32_t r = 0; r < table.capacity; ++r) {
        Set(layout_.Snapshot(instance_, t, r, -1), Get(table.ExistsSlot(r)), snapshot);
        for (int32_t c = 0; c < table.column_count(); ++c) {
          Set(layout_.Snapshot(instance_, t, r, c), Get(table.ValueSlot(r, c)), snapshot);
        }
      }
    }
    if (layout_.serializable()) SsiBegin(serializable);
  }

  // `pivot_writer`: a serializable writer with an rw-antidependency to an earlier commit.
  void CommitRows(const z3::expr& when, const z3::expr& pivot_writer) {
    for (size_t ti = 0; ti < program_.tables.size(); ++ti) {
      auto t = static_cast<int32_t>(ti);
      const ir::Table& table = program_.tables[t];
      for (int32_t r = 0; r < table.capacity; ++r) {
        z3::expr mine = And(when, terms_.Eq(Get(table.OwnerSlot(r)), me_));
        if (mine.is_false()) continue;
        z3::expr dirty = And(mine, NonZero(Get(table.DirtySlot(r))));
        z3::expr exists = NonZero(Get(table.PendingExistsSlot(r)));
        Set(table.ExistsSlot(r), terms_.Ite(exists, Slot(1), Slot(0)), dirty);
        for (int32_t c = 0; c < table.column_count(); ++c) {
          // A deleted row keeps no values.
          Set(table.ValueSlot(r, c), terms_.Ite(exists, Get(table.PendingValueSlot(r, c)), Slot(0)), dirty);
        }
        // Transactions whose snapshot predates this commit see an older version now.
        for (int32_t other : layout_.txn_instances()) {
          if (other == instance_ || layout_.Snapshot(other, t, 0, -1) < 0) continue;
          z3::expr behind = And(dirty, HasSnapshot(other));
          Set(layout_.Flag(other, t, r, ir::kRowStale), Slot(1), behind);
          Set(layout_.Flag(other, t, r, ir::kRowStaleOut), Slot(1), And(behind, pivot_writer));
        }
        ClearRowLock(table, r, mine);
      }
    }
  }

  void ClearRowLock(const ir::Table& table, int32_t r, const z3::expr& when) {
    Set(table.OwnerSlot(r), Slot(0), when);
    Set(table.DirtySlot(r), Slot(0), when);
    Set(table.PendingExistsSlot(r), Slot(0), when);
    for (int32_t c = 0; c < table.column_count(); ++c) Set(table.PendingValueSlot(r, c), Slot(0), when);
  }

  void ReleaseRows(const z3::expr& when) {
    for (const ir::Table& table : program_.tables) {
      for (int32_t r = 0; r < table.capacity; ++r) {
        Set(table.WaiterSlot(r), Slot(0), And(when, terms_.Eq(Get(table.WaiterSlot(r)), me_)));
        ClearRowLock(table, r, And(when, terms_.Eq(Get(table.OwnerSlot(r)), me_)));
      }
    }
  }

  // Clears the transaction block; a committed serializable transaction keeps its read marks.
  void EndTransaction(const z3::expr& when) {
    for (ir::TxnSlot slot : {ir::kTxnStatus, ir::kTxnIsolation, ir::kTxnStatementOpen}) {
      Set(layout_.Txn(instance_, slot), Slot(0), when);
    }
    z3::expr forget_reads = when;
    if (layout_.serializable()) forget_reads = And(when, Not(SsiIs(instance_, ir::SsiStatus::kCommitted)));
    for (size_t ti = 0; ti < program_.tables.size(); ++ti) {
      auto t = static_cast<int32_t>(ti);
      const ir::Table& table = program_.tables[t];
      Set(layout_.PredicateRead(instance_, t), Slot(0), forget_reads);
      for (int32_t r = 0; r < table.capacity; ++r) {
        for (ir::RowFlag flag : kSplitFlags) {
          Set(layout_.Flag(instance_, t, r, flag), Slot(0), flag == ir::kRowRead ? forget_reads : when);
        }
        if (layout_.Snapshot(instance_, t, 0, -1) < 0) continue;
        for (int32_t c = -1; c < table.column_count(); ++c) Set(layout_.Snapshot(instance_, t, r, c), Slot(0), when);
      }
    }
  }


  // ---- serializable snapshot isolation (db.cpp's Ssi*) ----
  z3::expr SsiIs(int32_t instance, ir::SsiStatus status) {
    return Is(Get(layout_.Txn(instance, ir::kSsiStatus)), static_cast<int64_t>(status));
  }
  z3::expr InSet(int32_t instance, ir::TxnSlot set, int32_t other) {
    return NonZero(Get(layout_.Ssi(instance, set, other)));
  }
  void ClearSets(int32_t instance, const z3::expr& when) {
    auto n = static_cast<int32_t>(program_.instances.size());
    for (int32_t other = -1; other < n; ++other) {
      Set(layout_.Ssi(instance, ir::kSsiIn, other), Slot(0), when);
      Set(layout_.Ssi(instance, ir::kSsiOut, other), Slot(0), when);
      if (other >= 0) Set(layout_.Ssi(instance, ir::kSsiConcurrent, other), Slot(0), when);
    }
  }
  // Instances whose serializable transaction is active, as conditions.
  std::map<int32_t, z3::expr> SsiActive() {
    std::map<int32_t, z3::expr> active;
    for (int32_t i : layout_.txn_instances()) active.emplace(i, SsiIs(i, ir::SsiStatus::kActive));
    return active;
  }
  z3::expr OverlapsActive(int32_t instance, const std::map<int32_t, z3::expr>& active) {
    z3::expr any = terms_.False();
    for (const auto& [other, is_active] : active) {
      if (other != instance) any = Or(any, And(InSet(instance, ir::kSsiConcurrent, other), is_active));
    }
    return any;
  }

  void SsiBegin(const z3::expr& when) {
    SsiFold(And(when, SsiIs(instance_, ir::SsiStatus::kCommitted)));
    Set(layout_.Txn(instance_, ir::kSsiStatus), Slot(static_cast<int64_t>(ir::SsiStatus::kActive)), when);
    ClearSets(instance_, when);
    for (int32_t other : layout_.txn_instances()) {
      if (other == instance_) continue;
      z3::expr overlap = And(when, SsiIs(other, ir::SsiStatus::kActive));
      Set(layout_.Ssi(instance_, ir::kSsiConcurrent, other), Slot(1), overlap);
      Set(layout_.Ssi(other, ir::kSsiConcurrent, instance_), Slot(1), overlap);
    }
  }

  // A committed transaction that may still matter becomes "a committed transaction" (kSsiOther)
  // to the others, and its reads go into the table summary while anything overlapping it is active.
  void SsiFold(const z3::expr& when) {
    if (when.is_false()) return;
    z3::expr relevant = OverlapsActive(instance_, SsiActive());
    for (int32_t other : layout_.txn_instances()) {
      if (other == instance_) continue;
      for (ir::TxnSlot set : {ir::kSsiIn, ir::kSsiOut}) {
        z3::expr had = And(when, InSet(other, set, instance_));
        Set(layout_.Ssi(other, set, instance_), Slot(0), had);
        Set(layout_.Ssi(other, set, -1), Slot(1), had);
      }
      Set(layout_.Ssi(other, ir::kSsiConcurrent, instance_), Slot(0), when);
    }
    for (size_t ti = 0; ti < program_.tables.size(); ++ti) {
      auto t = static_cast<int32_t>(ti);
      const ir::Table& table = program_.tables[t];
      int32_t predicate = layout_.PredicateRead(instance_, t);
      if (predicate < 0) continue;
      for (int32_t r = 0; r < table.capacity; ++r) {
        int32_t read = layout_.Flag(instance_, t, r, ir::kRowRead);
        if (table.summary_slot >= 0) Set(table.summary_slot + r, Slot(1), And(when, And(relevant, NonZero(Get(read)))));
        Set(read, Slot(0), when);
      }
      if (table.summary_slot >= 0) {
        Set(table.summary_slot + table.capacity, Slot(1), And(when, And(relevant, NonZero(Get(predicate)))));
      }
      Set(predicate, Slot(0), when);
    }
    Set(layout_.Txn(instance_, ir::kSsiStatus), Slot(0), when);
    ClearSets(instance_, when);
  }

  // A transaction that no longer counts: its marks and every edge to or from it go.
  void SsiForget(int32_t instance, const z3::expr& when) {
    if (when.is_false()) return;
    for (int32_t other : layout_.txn_instances()) {
      if (other == instance) continue;
      for (ir::TxnSlot set : {ir::kSsiIn, ir::kSsiOut, ir::kSsiConcurrent}) {
        Set(layout_.Ssi(other, set, instance), Slot(0), when);
      }
    }
    for (size_t ti = 0; ti < program_.tables.size(); ++ti) {
      auto t = static_cast<int32_t>(ti);
      int32_t predicate = layout_.PredicateRead(instance, t);
      if (predicate < 0) continue;
      for (int32_t r = 0; r < program_.tables[t].capacity; ++r) Set(layout_.Flag(instance, t, r, ir::kRowRead), Slot(0), when);
      Set(predicate, Slot(0), when);
    }
    Set(layout_.Txn(instance, ir::kSsiStatus), Slot(0), when);
    ClearSets(instance, when);
  }

  void SsiCleanup(const z3::expr& when) {
    std::map<int32_t, z3::expr> active = SsiActive();
    z3::expr any_active = terms_.False();
    for (const auto& [i, is_active] : active) any_active = Or(any_active, is_active);
    for (int32_t i : layout_.txn_instances()) {
      SsiForget(i, And(when, And(SsiIs(i, ir::SsiStatus::kCommitted), Not(OverlapsActive(i, active)))));
    }
    for (const ir::Table& table : program_.tables) {
      if (table.summary_slot < 0) continue;
      for (int32_t k = 0; k <= table.capacity; ++k) Set(table.summary_slot + k, Slot(0), And(when, Not(any_active)));
    }
  }

  z3::expr SsiCommittedOut() {
    z3::expr out = InSet(instance_, ir::kSsiOut, -1);
    for (int32_t other : layout_.txn_instances()) {
      if (other == instance_) continue;
      out = Or(out, And(InSet(instance_, ir::kSsiOut, other), SsiIs(other, ir::SsiStatus::kCommitted)));
    }
    return out;
  }

  // The statement's reads (when `when`): marks, and rw-antidependencies to writers whose versions
  // it does not see. The condition that it reads past a committed pivot (40001).
  z3::expr SsiRead(const ir::SqlStatement& sql, const z3::expr& when) {
    const ir::Table& table = program_.tables[sql.table];
    int32_t t = sql.table;
    bool keyed = sql.key_expr >= 0;
    z3::expr key = Slot(0);
    if (keyed) {
      SymValue v = Eval(sql.key_expr, nullptr);
      Error(And(when, v.fault));
      key = v.value;
    }
    z3::expr found = terms_.False();
    z3::expr failure = terms_.False();
    int32_t key_column = table.key_column;
    for (int32_t r = 0; r < table.capacity; ++r) {
      Version visible = Visible(t, r);
      z3::expr visible_match = NonZero(visible[0]);
      z3::expr looks = when;
      if (keyed) {
        visible_match = And(visible_match, exprs_.Equal(visible[1 + key_column], key));
        z3::expr committed = And(NonZero(Get(table.ExistsSlot(r))), exprs_.Equal(Get(table.ValueSlot(r, key_column)), key));
        z3::expr pending = And(NonZero(Get(table.DirtySlot(r))),
                               And(NonZero(Get(table.PendingExistsSlot(r))),
                                   exprs_.Equal(Get(table.PendingValueSlot(r, key_column)), key)));
        looks = And(when, Or(visible_match, Or(committed, pending)));
      }
      Set(layout_.Flag(instance_, t, r, ir::kRowRead), Slot(1), And(looks, visible_match));
      found = Or(found, And(looks, visible_match));
      z3::expr stale = And(looks, NonZero(Get(layout_.Flag(instance_, t, r, ir::kRowStale))));
      Set(layout_.Ssi(instance_, ir::kSsiOut, -1), Slot(1), stale);
      failure = Or(failure, And(stale, NonZero(Get(layout_.Flag(instance_, t, r, ir::kRowStaleOut)))));
      z3::expr owner = Get(table.OwnerSlot(r));
      z3::expr writing = And(looks, And(NonZero(Get(table.DirtySlot(r))), Not(terms_.Eq(owner, me_))));
      for (int32_t other : layout_.txn_instances()) {
        if (other == instance_) continue;
        z3::expr edge = And(writing, And(Is(owner, other + 1), SsiIs(other, ir::SsiStatus::kActive)));
        Set(layout_.Ssi(instance_, ir::kSsiOut, other), Slot(1), edge);
        Set(layout_.Ssi(other, ir::kSsiIn, instance_), Slot(1), edge);
      }
    }
    z3::expr predicate = keyed ? And(when, Not(found)) : when;
    Set(layout_.PredicateRead(instance_, t), Slot(1), predicate);
    return failure;
  }

  void SsiWrite(int32_t t, int32_t r, const z3::expr& when) {
    const ir::Table& table = program_.tables[t];
    for (int32_t other : layout_.txn_instances()) {
      if (other == instance_) continue;
      int32_t predicate = layout_.PredicateRead(other, t);
      if (predicate < 0) continue;
      z3::expr status = Get(layout_.Txn(other, ir::kSsiStatus));
      z3::expr concurrent = And(NonZero(status), Or(SsiIs(other, ir::SsiStatus::kActive),
                                                    InSet(other, ir::kSsiConcurrent, instance_)));
      // A predicate read covers every row of the table, present or future.
      z3::expr read = Or(NonZero(Get(layout_.Flag(other, t, r, ir::kRowRead))), NonZero(Get(predicate)));
      z3::expr edge = And(when, And(concurrent, read));
      Set(layout_.Ssi(other, ir::kSsiOut, instance_), Slot(1), edge);
      Set(layout_.Ssi(instance_, ir::kSsiIn, other), Slot(1), edge);
    }
    if (table.summary_slot >= 0) {
      z3::expr summarized = Or(NonZero(Get(table.summary_slot + r)), NonZero(Get(table.summary_slot + table.capacity)));
      Set(layout_.Ssi(instance_, ir::kSsiIn, -1), Slot(1), And(when, summarized));
    }
  }

  // db.cpp's Commit and Rollback.
  void Commit() {
    z3::expr serializable = terms_.False();
    z3::expr pivot_writer = terms_.False();
    if (layout_.serializable()) {
      serializable = And(Is(Txn(ir::kTxnIsolation), static_cast<int64_t>(ir::Isolation::kSerializable)),
                         SsiIs(instance_, ir::SsiStatus::kActive));
      // PostgreSQL's rule: an rw-antidependency in and one out to a transaction that committed
      // first would complete a dangerous structure.
      pivot_writer = And(serializable, SsiCommittedOut());
      z3::expr any_in = terms_.False();
      auto n = static_cast<int32_t>(program_.instances.size());
      for (int32_t other = -1; other < n; ++other) {
        if (layout_.Ssi(instance_, ir::kSsiIn, other) >= 0) any_in = Or(any_in, InSet(instance_, ir::kSsiIn, other));
      }
      Failed(And(any_in, pivot_writer), ir::DbFailure::kSerializable);
    }
    CommitRows(terms_.True(), pivot_writer);
    Set(layout_.Txn(instance_, ir::kSsiStatus), Slot(static_cast<int64_t>(ir::SsiStatus::kCommitted)), serializable);
    EndTransaction(terms_.True());
    if (layout_.serializable()) SsiCleanup(terms_.True());
  }

  void Rollback() {
    ReleaseRows(terms_.True());
    if (layout_.serializable()) SsiForget(instance_, SsiIs(instance_, ir::SsiStatus::kActive));
    EndTransaction(terms_.True());
    if (layout_.serializable()) SsiCleanup(terms_.True());
  }

  // ---- rows ----
  Version Committed(const ir::Table& table, int32_t r) {
    Version v{Get(table.ExistsSlot(r))};
    for (int32_t c = 0; c < table.column_count(); ++c) v.push_back(Get(table.ValueSlot(r, c)));
    return v;
  }
  Version Pending(const ir::Table& table, int32_t r) {
    Version v{Get(table.PendingExistsSlot(r))};
    for (int32_t c = 0; c < table.column_count(); ++c) v.push_back(Get(table.PendingValueSlot(r, c)));
    return v;
  }
  z3::expr OwnsDirty(const ir::Table& table, int32_t r) {
    return And(terms_.Eq(Get(table.OwnerSlot(r)), me_), NonZero(Get(table.DirtySlot(r))));
  }
  Version Pick(const z3::expr& which, const Version& a, const Version& b) {
    Version v;
    for (size_t k = 0; k < a.size(); ++k) v.push_back(terms_.Ite(which, a[k], b[k]));
    return v;
  }
  // Its own uncommitted version, else its snapshot's, else the latest committed.
  Version Visible(int32_t t, int32_t r) {
    const ir::Table& table = program_.tables[t];
    Version seen = Committed(table, r);
    if (layout_.Snapshot(instance_, t, r, -1) >= 0) {
      Version snapshot{Get(layout_.Snapshot(instance_, t, r, -1))};
      for (int32_t c = 0; c < table.column_count(); ++c) snapshot.push_back(Get(layout_.Snapshot(instance_, t, r, c)));
      seen = Pick(HasSnapshot(instance_), snapshot, seen);
    }
    return Pick(OwnsDirty(table, r), Pending(table, r), seen);
  }
  Version Newest(int32_t t, int32_t r) {
    const ir::Table& table = program_.tables[t];
    return Pick(OwnsDirty(table, r), Pending(table, r), Committed(table, r));
  }

  // Expressions of the statement: the instance's locals, the state, and a row's columns.
  class Env final : public ExprEnv {
   public:
    Env(Run& run, const Version* row) : run_(run), row_(row) {
      const ir::Instance& inst = run.program_.instances[run.instance_];
      self = inst.self;
      replica = inst.replica;
    }
    z3::expr Local(int32_t index) override { return run_.locals_[index]; }
    z3::expr Global(int32_t slot) override { return run_.Get(slot); }
    z3::expr Column(int32_t column) override {
      RACECHECK_CHECK(row_ != nullptr, "a column read outside a row");
      return (*row_)[1 + column];
    }

   private:
    Run& run_;
    const Version* row_;
  };

  SymValue Eval(int32_t expr, const Version* row) {
    Env env(*this, row);
    return exprs_.Eval(expr, env);
  }

  // Whether the version matches the where clause, and when evaluating it fails.
  std::pair<z3::expr, z3::expr> Matches(const Version& version, const ir::SqlStatement& sql) {
    z3::expr exists = NonZero(version[0]);
    if (sql.where < 0) return {exists, terms_.False()};
    SymValue v = Eval(sql.where, &version);
    return {And(exists, exprs_.Truth(v)), And(exists, v.fault)};
  }

  // A value stored in a slot: a runtime error unless it fits in 32 bits.
  z3::expr Stored(const SymValue& v) {
    Error(Or(v.fault, Not(exprs_.Fits32(v.value))));
    return exprs_.Low32(v.value);
  }

  // The rows a statement found (each with the condition that it did), as select results.
  void Results(const ir::SqlStatement& sql, const std::vector<std::pair<z3::expr, Version>>& rows) {
    z3::expr zero = terms_.Num(0, 64);
    z3::expr count = zero;
    for (const auto& [found, version] : rows) count = Plus(count, terms_.Ite(found, terms_.Num(1, 64), zero));
    for (size_t k = 0; k < sql.items.size(); ++k) {
      const ir::SelectItem& item = sql.items[k];
      z3::expr value = count;
      if (item.kind != ir::SelectItem::Kind::kCount) {
        if (item.kind == ir::SelectItem::Kind::kColumn) Error(exprs_.Lt(terms_.Num(1, 64), count));
        // One row at most for a column: the sum is its value, or 0 (no NULL) when there is none.
        value = zero;
        for (const auto& [found, version] : rows) {
          value = Plus(value, terms_.Ite(found, exprs_.Wide(version[1 + item.column]), zero));
        }
      }
      Error(Not(exprs_.Fits32(value)));
      if (k < sql.results.size()) locals_[sql.results[k]] = exprs_.Low32(value);
    }
  }
  z3::expr Plus(const z3::expr& a, const z3::expr& b) {
    int64_t x = 0, y = 0;
    if (Terms::Numeral(b, &y) && y == 0) return a;
    if (Terms::Numeral(a, &x) && x == 0) return b;
    return a + b;
  }
  void Store(const ir::SqlStatement& sql, const z3::expr& count) {
    if (!sql.results.empty()) locals_[sql.results[0]] = exprs_.Low32(count);
  }

  // ---- statements ----
  // The statement runs in a serializable transaction.
  z3::expr Serializable(const ir::SqlStatement& sql) {
    if (sql.autocommit || !layout_.serializable()) return terms_.False();
    return Is(Txn(ir::kTxnIsolation), static_cast<int64_t>(ir::Isolation::kSerializable));
  }

  void Select(const ir::SqlStatement& sql) {
    Start(sql, terms_.True());
    z3::expr serializable = Serializable(sql);
    if (!serializable.is_false()) Failed(SsiRead(sql, serializable), ir::DbFailure::kSerializable);
    std::vector<std::pair<z3::expr, Version>> rows;
    for (int32_t r = 0; r < program_.tables[sql.table].capacity; ++r) {
      Version version = Visible(sql.table, r);
      auto [match, fault] = Matches(version, sql);
      Error(fault);
      rows.emplace_back(match, std::move(version));
    }
    Results(sql, rows);
  }

  // update, delete, select ... for update (db.cpp's Locking).
  void Locking(const ir::SqlStatement& sql) {
    const ir::Table& table = program_.tables[sql.table];
    int32_t t = sql.table;
    int32_t open_slot = layout_.Txn(instance_, ir::kTxnStatementOpen);
    RACECHECK_CHECK(layout_.Flag(instance_, t, 0, ir::kRowTodo) >= 0, "a statement on a table without flags");
    z3::expr fresh = Is(Get(open_slot), 0);
    Start(sql, fresh);
    z3::expr serializable = Serializable(sql);
    if (!serializable.is_false()) Failed(SsiRead(sql, And(fresh, serializable)), ir::DbFailure::kSerializable);
    for (int32_t r = 0; r < table.capacity && !fresh.is_false(); ++r) {
      Version version = Visible(t, r);
      auto [match, fault] = Matches(version, sql);
      Error(And(fresh, fault));
      Set(layout_.Flag(instance_, t, r, ir::kRowTodo), Slot(1), And(fresh, match));
    }
    Set(open_slot, Slot(1), fresh);
    z3::expr progressed = fresh;
    z3::expr read_committed = ReadCommitted(sql);
    for (int32_t r = 0; r < table.capacity; ++r) {
      int32_t todo_slot = layout_.Flag(instance_, t, r, ir::kRowTodo);
      z3::expr todo = NonZero(Get(todo_slot));
      if (todo.is_false()) continue;
      z3::expr owner = Get(table.OwnerSlot(r));
      z3::expr waiter = Get(table.WaiterSlot(r));
      z3::expr other_owner = And(NonZero(owner), Not(terms_.Eq(owner, me_)));
      z3::expr line_free = Is(waiter, 0);
      z3::expr first_in_line = terms_.Eq(waiter, me_);
      // Whom it waits for: the holder, or whoever is first in line for the row.
      z3::expr take_line = And(todo, And(other_owner, line_free));
      Set(table.WaiterSlot(r), me_, take_line);
      progressed = Or(progressed, take_line);
      z3::expr on_owner = And(todo, And(other_owner, Or(line_free, first_in_line)));
      z3::expr someone_in_line = And(Not(line_free), Not(first_in_line));
      z3::expr on_waiter = And(todo, And(someone_in_line, Or(other_owner, Is(owner, 0))));
      z3::expr waits = Or(on_owner, on_waiter);
      z3::expr open_value = terms_.Ite(on_owner, Slot(table.OwnerSlot(r) + 1), Slot(table.WaiterSlot(r) + 1));
      z3::expr moved = Not(terms_.Eq(Get(open_slot), open_value));
      Set(open_slot, open_value, And(waits, moved));
      z3::expr did_something = Or(progressed, moved);
      Keep(out_.wait, And(waits, did_something));
      Block(And(waits, Not(did_something)), terms_.Ite(on_owner, owner, waiter));
      Set(table.WaiterSlot(r), Slot(0), And(todo, first_in_line));
      // Repeatable read: the row changed after the snapshot.
      z3::expr stale = NonZero(Get(layout_.Flag(instance_, t, r, ir::kRowStale)));
      Failed(And(todo, And(Not(read_committed), stale)), ir::DbFailure::kConcurrentUpdate);
      Version newest = Newest(t, r);
      // EvalPlanQual: read committed checks the where clause again on the newest version.
      auto [match, fault] = Matches(newest, sql);
      Error(And(todo, And(read_committed, fault)));
      z3::expr skip = And(todo, And(read_committed, Not(match)));
      Set(todo_slot, Slot(0), skip);
      progressed = Or(progressed, skip);
      z3::expr act = And(todo, Not(skip));
      Set(table.OwnerSlot(r), me_, And(act, Is(owner, 0)));
      if (sql.kind == ir::SqlKind::kUpdate) {
        std::vector<std::pair<int32_t, z3::expr>> values;
        for (const ir::SqlSet& set : sql.sets) {
          SymValue v = Eval(set.expr, &newest);
          Error(And(act, Or(v.fault, Not(exprs_.Fits32(v.value)))));
          values.emplace_back(set.column, exprs_.Low32(v.value));
        }
        for (int32_t c = 0; c < table.column_count(); ++c) Set(table.PendingValueSlot(r, c), newest[1 + c], act);
        for (const auto& [column, value] : values) Set(table.PendingValueSlot(r, column), value, act);
        Set(table.PendingExistsSlot(r), Slot(1), act);
        Set(table.DirtySlot(r), Slot(1), act);
      } else if (sql.kind == ir::SqlKind::kDelete) {
        Set(table.PendingExistsSlot(r), Slot(0), act);
        for (int32_t c = 0; c < table.column_count(); ++c) Set(table.PendingValueSlot(r, c), newest[1 + c], act);
        Set(table.DirtySlot(r), Slot(1), act);
      }
      if (sql.kind != ir::SqlKind::kSelect && !serializable.is_false()) SsiWrite(t, r, And(act, serializable));
      Set(todo_slot, Slot(0), act);
      Set(layout_.Flag(instance_, t, r, ir::kRowMatched), Slot(1), act);
      progressed = Or(progressed, act);
    }
    // Every row is done: the statement's result.
    std::vector<std::pair<z3::expr, Version>> rows;
    for (int32_t r = 0; r < table.capacity; ++r) {
      int32_t matched_slot = layout_.Flag(instance_, t, r, ir::kRowMatched);
      z3::expr matched = NonZero(Get(matched_slot));
      Set(matched_slot, Slot(0), matched);
      rows.emplace_back(matched, Newest(t, r));
    }
    Set(open_slot, Slot(0), terms_.True());
    if (sql.kind == ir::SqlKind::kSelect) {
      Results(sql, rows);
    } else {
      z3::expr count = terms_.Num(0, 64);
      for (const auto& row : rows) count = Plus(count, terms_.Ite(row.first, terms_.Num(1, 64), terms_.Num(0, 64)));
      Store(sql, count);
    }
    if (sql.autocommit) CommitRows(terms_.True(), terms_.False());
  }

  // A free row slot may take an insert unless some transaction still looks at what it held.
  z3::expr Reserved(int32_t t, int32_t r) {
    const ir::Table& table = program_.tables[t];
    z3::expr reserved = table.summary_slot >= 0 ? NonZero(Get(table.summary_slot + r)) : terms_.False();
    for (int32_t other : layout_.txn_instances()) {
      for (ir::RowFlag flag : {ir::kRowTodo, ir::kRowMatched, ir::kRowRead}) {
        int32_t slot = layout_.Flag(other, t, r, flag);
        if (slot >= 0) reserved = Or(reserved, NonZero(Get(slot)));
      }
      int32_t snapshot = layout_.Snapshot(other, t, r, -1);
      if (snapshot >= 0) reserved = Or(reserved, And(HasSnapshot(other), NonZero(Get(snapshot))));
    }
    return reserved;
  }

  void Insert(const ir::SqlStatement& sql) {
    const ir::Table& table = program_.tables[sql.table];
    int32_t columns = table.column_count();
    Version row{Slot(1)};
    for (int32_t c = 0; c < columns; ++c) row.push_back(sql.values[c] < 0 ? Slot(0) : Stored(Eval(sql.values[c], nullptr)));
    z3::expr key = row[1 + table.key_column];
    // The key must be new: a row with it, committed or being written by another transaction,
    // makes the insert wait for that transaction, then fail if the row is there.
    for (int32_t r = 0; r < table.capacity; ++r) {
      z3::expr committed = And(NonZero(Get(table.ExistsSlot(r))), terms_.Eq(Get(table.ValueSlot(r, table.key_column)), key));
      z3::expr pending = And(NonZero(Get(table.DirtySlot(r))),
                             And(NonZero(Get(table.PendingExistsSlot(r))),
                                 terms_.Eq(Get(table.PendingValueSlot(r, table.key_column)), key)));
      z3::expr hit = Or(committed, pending);
      z3::expr owner = Get(table.OwnerSlot(r));
      Block(And(hit, And(NonZero(owner), Not(terms_.Eq(owner, me_)))), owner);
      z3::expr deleted_it = And(terms_.Eq(owner, me_), And(NonZero(Get(table.DirtySlot(r))), Not(pending)));
      // A serializable transaction that cannot see the row (it came after the snapshot) fails 40001.
      int32_t stale_flag = layout_.Flag(instance_, sql.table, r, ir::kRowStale);
      z3::expr serializable = Serializable(sql);
      z3::expr stale = stale_flag >= 0 && !serializable.is_false() ? And(serializable, NonZero(Get(stale_flag)))
                                                                   : terms_.False();
      Failed(And(hit, Not(deleted_it)), terms_.Ite(stale, Slot(ir::FailureName(ir::DbFailure::kSerializable)),
                                                   Slot(ir::FailureName(ir::DbFailure::kUniqueViolation))));
    }
    z3::expr taken = terms_.False();  // an earlier row slot took it
    std::vector<z3::expr> chosen;
    for (int32_t r = 0; r < table.capacity; ++r) {
      z3::expr free = And(Not(NonZero(Get(table.ExistsSlot(r)))),
                          And(Is(Get(table.OwnerSlot(r)), 0), And(Is(Get(table.WaiterSlot(r)), 0), Not(Reserved(sql.table, r)))));
      chosen.push_back(And(Not(taken), free));
      taken = Or(taken, free);
    }
    Error(Not(taken));  // the table is full
    Start(sql, terms_.True());
    for (int32_t r = 0; r < table.capacity; ++r) {
      Set(table.OwnerSlot(r), me_, chosen[r]);
      Set(table.DirtySlot(r), Slot(1), chosen[r]);
      for (int32_t k = 0; k <= columns; ++k) Set(table.PendingExistsSlot(r) + k, row[k], chosen[r]);
      z3::expr serializable = Serializable(sql);
      if (!serializable.is_false()) SsiWrite(sql.table, r, And(chosen[r], serializable));
    }
    Store(sql, terms_.Num(1, 64));
    if (sql.autocommit) CommitRows(terms_.True(), terms_.False());
  }

 private:
  DbBranch Empty() { return DbBranch{terms_.False(), {}, locals_}; }

  const ir::Program& program_;
  const DbLayout& layout_;
  Terms& terms_;
  ExprEncoder& exprs_;
  int32_t instance_;
  const Base& base_;
  z3::expr live_;
  std::vector<z3::expr> locals_;
  z3::expr me_;
  std::map<int32_t, z3::expr> current_;
  DbOutcome out_;
};

DbEncoder::DbEncoder(const ir::Program& program, const DbLayout& layout, Terms& terms, ExprEncoder& exprs)
    : program_(program), layout_(layout), terms_(terms), exprs_(exprs) {}

DbOutcome DbEncoder::Execute(int32_t instance, const ir::SqlStatement& sql, const z3::expr& guard, const Base& base,
                             const std::vector<z3::expr>& locals) {
  Run run(*this, instance, guard, base, locals);
  switch (sql.kind) {
    case ir::SqlKind::kSelect:
      if (sql.for_update) {
        run.Locking(sql);
      } else {
        run.Select(sql);
      }
      break;
    case ir::SqlKind::kUpdate:
    case ir::SqlKind::kDelete:
      run.Locking(sql);
      break;
    case ir::SqlKind::kInsert:
      run.Insert(sql);
      break;
  }
  return run.Finish();
}

DbOutcome DbEncoder::Begin(int32_t instance, ir::Isolation isolation, const z3::expr& guard, const Base& base,
                           const std::vector<z3::expr>& locals) {
  Run run(*this, instance, guard, base, locals);
  run.Begin(isolation);
  return run.Finish();
}

DbOutcome DbEncoder::Commit(int32_t instance, const z3::expr& guard, const Base& base,
                            const std::vector<z3::expr>& locals) {
  Run run(*this, instance, guard, base, locals);
  run.Commit();
  return run.Finish();
}

DbOutcome DbEncoder::Rollback(int32_t instance, const z3::expr& guard, const Base& base,
                              const std::vector<z3::expr>& locals) {
  Run run(*this, instance, guard, base, locals);
  run.Rollback();
  return run.Finish();
}

}  // namespace racecheck::symbolic
