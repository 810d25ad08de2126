#include "checker/frontend/syntax_hints.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "RaceCheckLexer.h"
#include "RaceCheckParser.h"
#include "checker/frontend/declaration_words.h"
#include "checker/frontend/letter_case.h"
#include "checker/frontend/redis_messages.h"
#include "checker/frontend/spelling.h"

namespace racecheck::frontend {
namespace {

using grammar::RaceCheckLexer;

base::SourceLocation At(const antlr4::Token* token) {
  return {static_cast<int>(token->getLine()), static_cast<int>(token->getCharPositionInLine()) + 1};
}

// The tokens around the error, by offset from the offending one (0); null past either end.
class Around {
 public:
  Around(antlr4::Parser* parser, const antlr4::Token* offending)
      : tokens_(parser->getTokenStream()), index_(static_cast<long>(offending->getTokenIndex())) {}

  const antlr4::Token* operator[](long offset) const {
    long i = index_ + offset;
    if (i < 0 || i >= static_cast<long>(tokens_->size())) return nullptr;
    return tokens_->get(static_cast<size_t>(i));
  }
  std::string Text(long offset) const {
    const antlr4::Token* token = (*this)[offset];
    return token && token->getType() != antlr4::Token::EOF ? token->getText() : "";
  }
  // The offset of the first token on the offending token's line (0 or less).
  long LineStart() const {
    long offset = 0;
    while ((*this)[offset - 1] && (*this)[offset - 1]->getLine() == (*this)[0]->getLine()) --offset;
    return offset;
  }

 private:
  antlr4::TokenStream* tokens_;
  long index_;
};

// The token type of a keyword, or 0 when `word` is none.
size_t KeywordType(antlr4::Parser* parser, const std::string& word) {
  const antlr4::dfa::Vocabulary& vocabulary = parser->getVocabulary();
  for (size_t type = 1; type <= vocabulary.getMaxTokenType(); ++type) {
    if (vocabulary.getLiteralName(type) == "'" + word + "'") return type;
  }
  return 0;
}

bool IsKeyword(antlr4::Parser* parser, const std::string& word) { return KeywordType(parser, word) != 0; }

bool ExpectsKeyword(antlr4::Parser* parser, const std::string& word) {
  size_t type = KeywordType(parser, word);
  return type != 0 && parser->getExpectedTokens().contains(type);
}

// `SELECT v FROM t`, `UPDATE t SET ...`: an all-capitals word on the line that is a keyword in
// lower case (a Redis command after `redis.` is upper case on purpose).
std::optional<SyntaxHint> UpperCaseKeyword(antlr4::Parser* parser, const Around& around) {
  for (long offset = around.LineStart(); offset <= 0; ++offset) {
    const antlr4::Token* token = around[offset];
    const std::string text = token->getText();
    if (token->getType() != RaceCheckLexer::ID || text.size() < 2 || around.Text(offset - 1) == ".") continue;
    bool capitals = std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isupper(c) || c == '_'; });
    if (capitals && IsKeyword(parser, Lower(text))) {
      return SyntaxHint{At(token), fmt::format("keywords are written in lower case in a .cr model, SQL's too: "
                                               "write '{}', not '{}'", Lower(text), text)};
    }
  }
  return std::nullopt;
}

// `transaction isolation read committed`: the level is one word.
std::optional<SyntaxHint> IsolationInTwoWords(const Around& around) {
  const std::string joined = Lower(around.Text(-1) + "_" + around.Text(0));
  if (around.Text(-2) != "isolation" ||
      (joined != "read_committed" && joined != "repeatable_read" && joined != "read_uncommitted")) {
    return std::nullopt;
  }
  std::string message = joined == "read_uncommitted"
                            ? "PostgreSQL runs read uncommitted as read_committed: write 'isolation read_committed'"
                            : fmt::format("an isolation level is one word: write 'isolation {}'", joined);
  return SyntaxHint{At(around[-1]), message};
}

// `x++`, `x--`: no increment operators.
std::optional<SyntaxHint> IncrementOperator(const Around& around) {
  const std::string op = around.Text(0);
  const antlr4::Token* next = around[1];
  if ((op != "+" && op != "-") || around.Text(1) != op || !around[-1] || !next ||
      next->getCharPositionInLine() != around[0]->getCharPositionInLine() + 1 || next->getLine() != around[0]->getLine()) {
    return std::nullopt;
  }
  return SyntaxHint{At(around[0]), fmt::format("a .cr model has no '{0}{0}': write '{1} {0}= 1'", op, around.Text(-1))};
}

// `assert(x == 0, "message")`: assert takes its message after the condition, without a comma.
std::optional<SyntaxHint> AssertWithComma(const Around& around) {
  long start = around.LineStart();
  if (around.Text(0) != "," || around.Text(start) != "assert") return std::nullopt;
  std::string condition = "x == 0";
  if (around.Text(start + 1) == "(" && start + 2 < 0) {
    const antlr4::Token* first = around[start + 2];
    condition = first->getInputStream()->getText(
        antlr4::misc::Interval(first->getStartIndex(), around[-1]->getStopIndex()));
  }
  const antlr4::Token* message = around[1];
  std::string text = message && message->getType() == RaceCheckLexer::STRING ? message->getText() : "\"why it must hold\"";
  return SyntaxHint{At(around[0]), fmt::format("assert takes a condition and, optionally, a message after it, without "
                                               "parentheses or a comma: assert {} {}", condition, text)};
}

// `final x == 1`, `invariant (x >= 0)`: a property is named.
std::optional<SyntaxHint> PropertyWithoutName(const Around& around) {
  auto is_property = [&](long offset) {
    std::string word = around.Text(offset);
    return word == "invariant" || word == "final" || word == "cover";
  };
  long keyword = is_property(-1) ? -1 : is_property(-2) && around[-1]->getType() == RaceCheckLexer::ID ? -2 : 0;
  if (keyword == 0 || around.Text(0) == ":") return std::nullopt;
  // `final order: ...`: the name is a keyword.
  const std::string word = around.Text(0);
  if (keyword == -1 && around.Text(1) == ":" && !word.empty() && std::isalpha(static_cast<unsigned char>(word[0]))) {
    return SyntaxHint{At(around[0]), fmt::format("'{}' is a keyword and cannot name a property: pick another name "
                                                 "({} {}_ok: ...)", word, around.Text(-1), word)};
  }
  // `invariant ok x >= 0`: named, and the condition starts where the ':' belongs.
  int type = static_cast<int>(around[0]->getType());
  if (keyword == -2 && (type == RaceCheckLexer::ID || type == RaceCheckLexer::INT || around.Text(0) == "(" ||
                        around.Text(0) == "not")) {
    return SyntaxHint{At(around[0]), fmt::format("a ':' goes between the property's name and its condition: {} {}: ...",
                                                 around.Text(-2), around.Text(-1))};
  }
  return SyntaxHint{At(around[keyword + 1]),
                    fmt::format("a property has a name before its condition, which reports and 'expect' lines use: "
                                "{} NAME: CONDITION, as in '{} balance_ok: balance >= 0'",
                                around.Text(keyword), around.Text(keyword))};
}

// `expect violation order`: a keyword where a property's name goes (its declaration has its own
// message, PropertyWithoutName; this keeps the expect line from reading as a missing declaration).
std::optional<SyntaxHint> KeywordInExpect(const Around& around) {
  if (around.Text(around.LineStart()) != "expect" || (around.Text(-1) != "violation" && around.Text(-1) != ",")) {
    return std::nullopt;
  }
  const std::string word = around.Text(0);
  if (word.empty() || !std::isalpha(static_cast<unsigned char>(word[0])) || around[0]->getType() == RaceCheckLexer::ID) {
    return std::nullopt;
  }
  return SyntaxHint{At(around[0]), fmt::format("'{0}' is a keyword and cannot name a property: give the property "
                                               "another name ({0}_ok) where it is declared and here", word)};
}

// `for i in 0..2`: for runs over the rows of a select.
std::optional<SyntaxHint> ForOverRange(const Around& around) {
  if (around.Text(-3) != "for" || around.Text(-1) != "in" || around.Text(0) == "select") return std::nullopt;
  const std::string name = around.Text(-2);
  if (around.Text(0) == "await") {
    return SyntaxHint{At(around[0]), fmt::format("a for loop's query is a step of its own, as an awaited one is, and "
                                                 "its rows arrive before the body runs: write 'for {} in select ...' "
                                                 "(or 'update ... returning') without 'await'", name)};
  }
  return SyntaxHint{At(around[0]),
                    fmt::format("'for' runs over the rows of a select ('for {0} in select id from jobs where ...'); "
                                "count with while: 'let {0} = 0' then 'while {0} < N {{ ... {0} += 1 }}'", name)};
}

// `process P[2] on replica 0 (amount = 1)`: parameters come first.
std::optional<SyntaxHint> ParametersAfterReplica(const Around& around) {
  long start = around.LineStart();
  if (around.Text(0) != "(" || around.Text(start) != "process") return std::nullopt;
  bool after_replica = false;
  for (long offset = start; offset < 0; ++offset) after_replica |= around.Text(offset) == "replica";
  if (!after_replica) return std::nullopt;
  return SyntaxHint{At(around[0]), fmt::format("a process's parameters come before 'on replica': "
                                               "process {}[N](name = ...) on replica R {{ ... }}", around.Text(start + 1))};
}

// `runtime event_loop replicas = 2`: the setting is in parentheses.
std::optional<SyntaxHint> RuntimeSettingWithoutParentheses(const Around& around) {
  if (around.Text(-2) != "runtime" || around[0]->getType() != RaceCheckLexer::ID) return std::nullopt;
  return SyntaxHint{At(around[0]), fmt::format("the runtime's setting goes in parentheses: runtime {}({} = ...)",
                                               around.Text(-1), around.Text(0))};
}

// A lone word on its own line where a statement goes (`frobnicate`): the parser only notices
// at the next line.
std::optional<SyntaxHint> BareWord(const Around& around) {
  const antlr4::Token* word = around[-1];
  const antlr4::Token* before = around[-2];
  if (!word || word->getType() != RaceCheckLexer::ID || word->getLine() == around[0]->getLine() ||
      (before && before->getLine() == word->getLine())) {
    return std::nullopt;
  }
  return SyntaxHint{At(word), fmt::format("'{0}' alone is not a statement: set it ('{0} = ...'), declare it "
                                          "('let {0} = ...') or call it ('{0}()')", word->getText())};
}

// A block left open: the parser wants a statement or '}' and meets a top-level declaration or
// the end of the file. The error is the '{' that was never closed (the innermost one), not the
// declaration, which is fine where it stands.
std::optional<SyntaxHint> UnclosedBlock(antlr4::Parser* parser, const Around& around) {
  const antlr4::Token* offending = around[0];
  bool at_end = offending->getType() == antlr4::Token::EOF;
  if (!ExpectsKeyword(parser, "}")) return std::nullopt;
  if (!at_end && !StartsDeclarationOnly(offending->getText())) return std::nullopt;
  int depth = 0;
  for (long offset = -1; around[offset]; --offset) {
    const std::string text = around[offset]->getText();
    if (text == "}") ++depth;
    if (text == "{" && depth-- == 0) {
      std::string found = at_end ? "the file ends" : fmt::format("'{}' at line {} starts a declaration", offending->getText(),
                                                                 offending->getLine());
      return SyntaxHint{At(around[offset]), fmt::format("this '{{' is never closed: {} while its block is still "
                                                        "open; add a '}}' where the block ends", found)};
    }
  }
  return std::nullopt;
}

// `for update wait 10` (Oracle's), `set lock_timeout = 100`: PostgreSQL waits for a row lock
// until it is free unless told nowait or skip locked, and racecheck models no timeouts.
std::optional<SyntaxHint> LockTimeout(const Around& around) {
  // The words before the error on its line, and the next two (`set lock_timeout` fails at `set`).
  for (long offset = around.LineStart(); offset <= 2; ++offset) {
    if (!around[offset] || around[offset]->getLine() != around[0]->getLine()) break;
    const std::string word = Lower(around.Text(offset));
    bool oracle_wait = word == "wait" && (around.Text(offset - 1) == "update" || around.Text(offset - 1) == "share");
    if (!oracle_wait && word != "lock_timeout" && word != "statement_timeout") continue;
    return SyntaxHint{At(around[offset]),
                      fmt::format("'{}': racecheck models no lock or statement timeouts; a row lock is waited for until "
                                  "it is free, or refused at once with 'nowait' (lock_not_available), or its row "
                                  "passed over with 'skip locked'",
                                  around.Text(offset))};
  }
  return std::nullopt;
}

// `where id <> 2`: SQL's other spelling of not equal.
std::optional<SyntaxHint> SqlNotEqual(const Around& around) {
  const antlr4::Token* less = around[-1];
  if (around.Text(0) != ">" || !less || less->getText() != "<" || less->getLine() != around[0]->getLine() ||
      less->getCharPositionInLine() + 1 != around[0]->getCharPositionInLine()) {
    return std::nullopt;
  }
  return SyntaxHint{At(less), "write '!=' for not equal, in SQL too ('<>' is not a .cr operator)"};
}

// `transaction isolation level serializable`: the level follows 'isolation' directly, as one
// word (`isolation level repeatable read` is `isolation repeatable_read`).
std::optional<SyntaxHint> IsolationLevelWord(const Around& around) {
  if (Lower(around.Text(-1)) != "level" || around.Text(-2) != "isolation") return std::nullopt;
  std::string level = Lower(around.Text(0));
  const std::string joined = level + "_" + Lower(around.Text(1));
  if (joined == "read_committed" || joined == "repeatable_read" || joined == "read_uncommitted") level = joined;
  if (level == "read_uncommitted") level = "read_committed";  // PostgreSQL runs it as read committed
  return SyntaxHint{At(around[-1]), fmt::format("the level follows 'isolation' directly: write 'transaction "
                                                "isolation {} {{ ... }}'", level)};
}

// `(select tid from u)` in a where clause or a property: racecheck's SQL has no subqueries.
std::optional<SyntaxHint> Subquery(const Around& around) {
  if (around.Text(0) != "select" || around.Text(-1) != "(") return std::nullopt;
  std::string first = around.Text(around.LineStart());
  if (first == "invariant" || first == "final" || first == "cover") {
    return SyntaxHint{At(around[0]), "a property reads a table with count, sum, min, max and exists over it, not a "
                                     "select: count(t where v > 0), sum(t.v), exists(t where id == 1)"};
  }
  return SyntaxHint{At(around[0]), "racecheck's SQL has no subqueries: run the inner select as a statement of its own "
                                   "('let id = select ...' or 'for r in select ...') and use its result"};
}

// `select t.v from t join u on ...`: one table per statement.
std::optional<SyntaxHint> Join(const Around& around) {
  for (long offset = around.LineStart(); offset <= 8; ++offset) {
    if (!around[offset] || around[offset]->getLine() != around[0]->getLine()) break;
    if (Lower(around.Text(offset)) != "join") continue;
    return SyntaxHint{At(around[offset]), "racecheck's SQL reads one table per statement: no joins; select from each "
                                          "table in a statement of its own (in one transaction for one snapshot)"};
  }
  return std::nullopt;
}

// `select * from t`: a select gives locals, one per column named.
std::optional<SyntaxHint> SelectStar(const Around& around) {
  if (around.Text(0) != "*" || around.Text(-1) != "select") return std::nullopt;
  return SyntaxHint{At(around[0]), "name the columns you need: 'let (a, b) = select id, v from t where ...' "
                                   "(each column goes into a local; count(*) is the one '*' racecheck takes)"};
}

// `select ... for update skip locked order by id limit 1`: PostgreSQL's clause order.
std::optional<SyntaxHint> ClauseAfterLock(const Around& around) {
  const std::string word = around.Text(0);
  if (word != "order" && word != "limit") return std::nullopt;
  for (long offset = around.LineStart(); offset < 0; ++offset) {
    if (around.Text(offset) != "for") continue;
    const std::string lock = around.Text(offset + 1);
    if (lock != "update" && lock != "share" && lock != "no") continue;
    return SyntaxHint{At(around[0]), fmt::format("'{}' comes before the row lock, as in PostgreSQL: select ... where "
                                                 "... order by ... limit N for update ...", word == "order" ? "order by" : "limit")};
  }
  return std::nullopt;
}

// Whether the line of the offending token holds `word` before it (offsets LineStart() to -1).
bool EarlierOnLine(const Around& around, const std::string& word) {
  for (long offset = around.LineStart(); offset < 0; ++offset) {
    if (around.Text(offset) == word) return true;
  }
  return false;
}

// `update jobs set ... where ... limit 1` (MySQL's form): PostgreSQL's UPDATE and DELETE have
// neither ORDER BY nor LIMIT.
std::optional<SyntaxHint> ChangeWithLimit(const Around& around) {
  const std::string word = around.Text(0);
  if (word != "order" && word != "limit") return std::nullopt;
  for (long offset = around.LineStart(); offset < 0; ++offset) {
    const std::string statement = around.Text(offset);
    if (statement != "update" && statement != "delete") continue;
    if (around.Text(offset - 1) == "for" || around.Text(offset - 1) == "key") continue;  // a row lock
    return SyntaxHint{At(around[0]),
                      fmt::format("PostgreSQL's {} takes no {}: pick the rows with 'select ... order by ... limit N for "
                                  "update' (or 'for update skip locked') and change them by key",
                                  Upper(statement), word == "order" ? "ORDER BY" : "LIMIT")};
  }
  return std::nullopt;
}

// Small SQL slips: `set v = 1, where`, `values (1, 1), (2, 2)`, `select coalesce(c, 0) from`,
// `returning *`, `for update of t`.
std::optional<SyntaxHint> SqlSlip(const Around& around) {
  const std::string word = around.Text(0), before = around.Text(-1);
  if (word == "where" && before == ",") {
    return SyntaxHint{At(around[-1]), "no comma before 'where': the set list ends with its last assignment"};
  }
  if (word == "," && before == ")" && EarlierOnLine(around, "insert") && EarlierOnLine(around, "values")) {
    return SyntaxHint{At(around[0]), "an insert takes one row: write one insert statement per row (inside a "
                                     "transaction block if they must commit together)"};
  }
  const std::string function = around.Text(-3);
  if (word == "," && around.Text(-2) == "(" && EarlierOnLine(around, "select") && !EarlierOnLine(around, "from") &&
      (function == "coalesce" || function == "greatest" || function == "least" || function == "min" ||
       function == "max")) {
    return SyntaxHint{At(around[-3]), fmt::format("a select list holds columns and aggregates of one column: select "
                                                  "the column, then use {}(...) on the local it gave (let o = select "
                                                  "c from t where ...; let v = coalesce(o, 0))", function)};
  }
  if (word == "*" && before == "returning") {
    return SyntaxHint{At(around[0]), "name the columns to return: 'returning id, status'"};
  }
  for (long at : {0L, -1L}) {
    if (around.Text(at) == "of" && around.Text(at - 2) == "for" &&
        (around.Text(at - 1) == "update" || around.Text(at - 1) == "share")) {
      return SyntaxHint{At(around[at]), "a locking select reads one table, whose rows it locks: leave out 'of ...'"};
    }
  }
  return std::nullopt;
}

// `process P[2] on crash retry at most 2 may crash {`: the clauses' order.
std::optional<SyntaxHint> MayCrashAfterRetry(const Around& around) {
  if (around.Text(0) != "may" || around.Text(1) != "crash" || !EarlierOnLine(around, "retry")) return std::nullopt;
  return SyntaxHint{At(around[0]), "'may crash' comes before 'on crash retry at most K': write 'process P[2] may "
                                   "crash on crash retry at most 2 {'"};
}

// `begin` ... `commit` on lines of their own: a transaction is a block.
std::optional<SyntaxHint> BeginCommit(const Around& around) {
  for (long offset : {-1L, 0L}) {
    const std::string word = Lower(around.Text(offset));
    if (word != "begin" && word != "commit" && word != "start") continue;
    const antlr4::Token* token = around[offset];
    const antlr4::Token* before = around[offset - 1];
    if (before && before->getLine() == token->getLine()) continue;
    return SyntaxHint{At(token), "a transaction is a block: write 'transaction { ... }'; it begins at the '{' and "
                                 "commits at the '}' ('rollback' inside ends it early)"};
  }
  return std::nullopt;
}

// `table outbox(id key, sent) { } rows 4`: the room comes before the rows.
std::optional<SyntaxHint> RoomAfterRows(const Around& around) {
  if (around.Text(0) != "rows" || around.Text(-1) != "}") return std::nullopt;
  for (long offset = -2; around[offset]; --offset) {
    if (around.Text(offset) == "{") {
      if (around.Text(offset - 1) != ")") return std::nullopt;
      break;
    }
  }
  return SyntaxHint{At(around[0]), "a table's room goes between its columns and its rows: table outbox(id key, "
                                   "sent) rows 4 { ... }"};
}

// `transacton {`: a word where a statement goes, then a block; the word is a keyword misspelt.
std::optional<SyntaxHint> MisspeltKeyword(antlr4::Parser* parser, const Around& around) {
  const antlr4::Token* word = around[-1];
  if (around.Text(0) != "{" || !word || word->getType() != RaceCheckLexer::ID || around[-1] == nullptr ||
      (around[-2] && around[-2]->getLine() == word->getLine())) {
    return std::nullopt;
  }
  const std::string text = Lower(word->getText());
  if (text == "async") {
    return SyntaxHint{At(word), "a process is already an async task: write its steps directly, and 'await' alone on "
                                "a line where it yields (under 'runtime event_loop')"};
  }
  if (text == "try" || text == "finally" || text == "catch" || text == "except") {
    // Round 19: `try` was taken for a misspelt `retry`, which means something else entirely.
    return SyntaxHint{At(word), fmt::format("a .cr model has no {}: a lock block is released when its request "
                                            "fails or crashes, as finally would; a transaction is rolled back, and "
                                            "its failure is handled with 'on failure {{ ... }}' after it; a Redis key "
                                            "set before a crash stays unless it has a time to live",
                                            text == "catch" || text == "except" ? "try/catch" : "try/finally")};
  }
  static const std::vector<std::string> kBlockWords = {"transaction", "atomic", "while", "lock", "takes", "retry",
                                                       "else"};
  std::string keyword = NearestWord(Lower(word->getText()), kBlockWords,
                                    [&](const std::string& known) { return IsKeyword(parser, known); });
  if (keyword.empty()) return std::nullopt;
  return SyntaxHint{At(word), fmt::format("'{}' is not a keyword: did you mean '{}'?", word->getText(), keyword)};
}

}  // namespace

// The Redis command whose argument list the offending token stands in (`redis.GET(` earlier on the
// line, not closed yet), or "".
std::string OpenRedisCommand(const Around& around) {
  int depth = 0;
  for (long offset = -1; offset >= around.LineStart(); --offset) {
    const std::string text = around.Text(offset);
    if (text == ")") ++depth;
    if (text != "(") continue;
    if (depth-- > 0) continue;
    const std::string command = around.Text(offset - 1);
    bool upper = !command.empty() && std::all_of(command.begin(), command.end(), [](unsigned char c) {
      return std::isupper(c) || std::isdigit(c) || c == '_';
    });
    return upper && around.Text(offset - 2) == "." ? command : "";
  }
  return "";
}

// A client library's spelling inside a Redis command: `GET("lease")`, `SET(k, v, "NX")`,
// `GET(lease:1)`, `EVAL("return ...", 1, k)` (round 19).
std::optional<SyntaxHint> RedisArgument(const Around& around) {
  const std::string word = around.Text(0);
  bool quoted = !word.empty() && word.front() == '"';
  if (!quoted && word != ":") return std::nullopt;
  const std::string command = OpenRedisCommand(around);
  if (command.empty()) return std::nullopt;
  if (command == "EVAL" || command == "EVALSHA") {
    return SyntaxHint{At(around[0]), ScriptAsBlockMessage("redis")};
  }
  if (word == ":") {
    return SyntaxHint{At(around[0]), fmt::format("a key name has no ':': for one key per id ('{}:1', '{}:2') declare a "
                                                 "key family in the keyspace, 'redis {{ {}[1..N] }}', and name its "
                                                 "members {}[i]", around.Text(-1), around.Text(-1), around.Text(-1),
                                                 around.Text(-1))};
  }
  std::string name = word.substr(1, word.size() - 2);
  std::string upper = Upper(name);
  for (const char* option : {"NX", "XX", "GET", "KEEPTTL", "PX", "EX", "LEFT", "RIGHT"}) {
    if (upper == option) {
      return SyntaxHint{At(around[0]), fmt::format("a Redis option is a name, not a string: write {} bare, as in "
                                                   "SET(k, v, NX, PX = 30)", upper)};
    }
  }
  return SyntaxHint{At(around[0]), fmt::format("a Redis key is a name, not a string: write {} bare, and declare it in "
                                               "the instance's keyspace, 'redis {{ {} }}'", name, name)};
}

// Time as other languages write it: `sleep 5`, `takes 10 { }`, `takes 0..10 ms { }` (round 19).
std::optional<SyntaxHint> TimeSyntax(const Around& around) {
  const std::string word = around.Text(0), before = around.Text(-1);
  if (before == "sleep" || before == "delay") {
    return SyntaxHint{At(around[-1]), "a delay is written 'pause 0..N' inside a takes block (up to N ms more may "
                                      "pass there); outside takes blocks any time may pass between two steps already"};
  }
  bool number = !before.empty() && std::all_of(before.begin(), before.end(), [](unsigned char c) { return std::isdigit(c); });
  if (word == "{" && number && (around.Text(-2) == "takes" || around.Text(-2) == "pause")) {
    return SyntaxHint{At(around[-1]), fmt::format("the time of a {} is a range of ms: '{} 0..{}' (a lower bound "
                                                  "above 0 is not modelled yet)",
                                                  around.Text(-2) == "takes" ? "takes block" : "pause", around.Text(-2),
                                                  before)};
  }
  if ((word == "ms" || word == "s" || word == "msec" || word == "seconds") && number &&
      (EarlierOnLine(around, "takes") || EarlierOnLine(around, "pause"))) {
    return SyntaxHint{At(around[0]), "times are written in ms, without a unit: 'takes 0..10 {'"};
  }
  return std::nullopt;
}

std::optional<SyntaxHint> TeachingHint(antlr4::Parser* parser, const antlr4::Token* offending) {
  if (!offending) return std::nullopt;
  Around around(parser, offending);
  if (auto hint = UpperCaseKeyword(parser, around)) return hint;
  if (auto hint = UnclosedBlock(parser, around)) return hint;
  if (offending->getType() == antlr4::Token::EOF) return std::nullopt;
  for (auto rule : {IsolationInTwoWords, IncrementOperator, AssertWithComma, PropertyWithoutName, KeywordInExpect,
                    ForOverRange, ParametersAfterReplica, RuntimeSettingWithoutParentheses, LockTimeout,
                    SqlNotEqual, IsolationLevelWord, Subquery, Join, SelectStar, ClauseAfterLock, ChangeWithLimit, SqlSlip, MayCrashAfterRetry, BeginCommit, RoomAfterRows, RedisArgument, TimeSyntax}) {
    if (auto hint = rule(around)) return hint;
  }
  if (auto hint = MisspeltKeyword(parser, around)) return hint;
  return ExpectsKeyword(parser, "let") ? BareWord(around) : std::nullopt;
}

}  // namespace racecheck::frontend
