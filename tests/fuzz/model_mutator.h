// Meaning-preserving mutations of a .cr model's text, for the mutation test: names renamed
// consistently, top-level declarations reordered, unused variables and comments added, and
// compound assignments to shared variables split into their read and their write. Each keeps
// every verdict of the model; which names and places they may touch comes from the real front
// end's AST and a token scan that mirrors grammar/RaceCheck.g4's lexer.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checker/ast/ast.h"
#include "checker/base/diagnostics.h"
#include "checker/base/source.h"
#include "checker/frontend/analyze.h"
#include "tests/unit/symbolic/seeded_random.h"

namespace racecheck::fuzz {

using symbolic::testing::SeededRandom;

struct Token {
  enum class Kind { kName, kNumber, kString, kPunct, kSkipped };
  Kind kind;
  size_t offset;
  std::string_view text;
};

// The tokens of `text` as the grammar's lexer cuts them; keywords are names here. Whitespace and
// comments come as kSkipped tokens, so that the concatenated texts give `text` back.
inline std::vector<Token> Tokenize(const std::string& text) {
  std::vector<Token> tokens;
  size_t n = text.size();
  auto is_name = [](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
  };
  for (size_t i = 0; i < n;) {
    size_t start = i;
    char c = text[i];
    Token::Kind kind = Token::Kind::kPunct;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
      kind = Token::Kind::kSkipped;
    } else if (text.compare(i, 2, "//") == 0) {
      i = std::min(text.find('\n', i), n);
      kind = Token::Kind::kSkipped;
    } else if (text.compare(i, 2, "/*") == 0) {
      size_t close = text.find("*/", i + 2);
      i = close == std::string::npos ? n : close + 2;
      kind = Token::Kind::kSkipped;
    } else if (is_name(c, true)) {
      while (i < n && is_name(text[i], false)) ++i;
      kind = Token::Kind::kName;
    } else if (c >= '0' && c <= '9') {
      while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
      kind = Token::Kind::kNumber;
    } else if (c == '"') {
      for (++i; i < n && text[i] != '"' && text[i] != '\n' && text[i] != '\r'; ++i) {
        if (text[i] == '\\' && i + 1 < n && text[i + 1] != '\n' && text[i + 1] != '\r') ++i;
      }
      if (i < n && text[i] == '"') ++i;
      kind = Token::Kind::kString;
    } else {
      static const char* const kTwoCharacters[] = {"..", "<=", ">=", "==", "!=", "+=", "-=", "*="};
      i += std::any_of(std::begin(kTwoCharacters), std::end(kTwoCharacters),
                       [&](const char* op) { return text.compare(i, 2, op) == 0; })
               ? 2
               : 1;
    }
    tokens.push_back({kind, start, std::string_view(text).substr(start, i - start)});
  }
  return tokens;
}

// The tokens that are not whitespace or comments.
inline std::vector<Token> Significant(const std::string& text) {
  std::vector<Token> tokens = Tokenize(text);
  std::erase_if(tokens, [](const Token& t) { return t.kind == Token::Kind::kSkipped; });
  return tokens;
}

// The front end's AST of `text`, or null with its diagnostics in `errors`.
inline std::unique_ptr<ast::Model> ParseModel(const std::string& text, std::string* errors) {
  base::SourceFile file("mutated.cr", text);
  base::DiagnosticEngine diags(file);
  std::unique_ptr<ast::Model> model = frontend::ParseAndCheck(file, {}, diags);
  if (!model) *errors = diags.Render();
  return model;
}

// The byte offset of a 1-based line and column (columns count code points, as the AST's do).
inline size_t OffsetOf(const std::string& text, base::SourceLocation at) {
  size_t offset = 0;
  for (int line = 1; line < at.line && offset < text.size(); ++offset) {
    if (text[offset] == '\n') ++line;
  }
  for (int column = 1; column < at.column && offset < text.size(); ++column) {
    ++offset;
    while (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) ++offset;
  }
  return offset;
}

// Fresh names that are no keyword and occur nowhere in the model, of varied length.
class NameMaker {
 public:
  NameMaker(const std::string& text, SeededRandom& random) : random_(random) {
    for (const Token& t : Tokenize(text)) {
      if (t.kind == Token::Kind::kName) taken_.insert(std::string(t.text));
    }
  }
  std::string Make() {
    for (;;) {
      std::string name = random_.Below(4) == 0 ? "Q" : "q";
      name += std::to_string(count_++) + "_";
      for (int k = random_.Below(9); k > 0; --k) name += static_cast<char>('a' + random_.Below(26));
      if (taken_.insert(name).second) return name;
    }
  }

 private:
  SeededRandom& random_;
  std::set<std::string> taken_;
  int count_ = 0;
};

// What a mutation made, or why it could not.
struct Mutated {
  std::string text;
  std::string error;  // the model or the mutation did not compile: a bug of the mutator or the front end
};

// Renames every name the model declares, everywhere, except names that also stand where a
// name is a fixed word (after `runtime`, `isolation`, `allow`, `expect`, or called like `min(`
// and `redis.GET(`). `renamed` maps the old names to the new ones.
inline Mutated Rename(const std::string& text, SeededRandom& random, std::map<std::string, std::string>& renamed) {
  Mutated out;
  std::unique_ptr<ast::Model> model = ParseModel(text, &out.error);
  if (!model) return out;
  std::set<std::string> declared;
  for (const ast::ConstDecl& d : model->consts) declared.insert(d.name);
  for (const ast::ParamDecl& d : model->params) declared.insert(d.name);
  for (const ast::VarDecl& d : model->vars) declared.insert(d.name);
  for (const ast::LockDecl& d : model->locks) declared.insert(d.name);
  for (const ast::TableDecl& d : model->tables) {
    declared.insert(d.name);
    for (const ast::Column& column : d.columns) declared.insert(column.name);
  }
  for (const ast::RedisDecl& d : model->redis) {
    // The unnamed instance is called by the keyword `redis`.
    if (d.name != "redis") declared.insert(d.name);
    for (const ast::RedisKey& key : d.keys) declared.insert(key.name);
  }
  for (const ast::ProcessDecl& d : model->processes) {
    declared.insert(d.name);
    for (const ast::LocalDecl& local : d.locals) declared.insert(local.name);
  }
  for (const ast::PropertyDecl& d : model->properties) declared.insert(d.name);

  std::vector<Token> sig = Significant(text);
  auto at = [&](size_t k) { return k < sig.size() ? sig[k].text : std::string_view(); };
  for (size_t k = 0; k < sig.size(); ++k) {
    std::string_view before = k > 0 ? at(k - 1) : std::string_view();
    bool declares = before == "process" || before == "table" || before == "into";
    bool fixed = before == "model" || before == "runtime" || before == "isolation" || before == "allow" ||
                 before == "expect" || (at(k + 1) == "(" && !declares) || (at(k + 1) == "{" && before == ".");
    if (fixed) declared.erase(std::string(sig[k].text));
  }
  NameMaker names(text, random);
  for (const std::string& name : declared) renamed[name] = names.Make();
  for (const Token& t : Tokenize(text)) {
    auto found = t.kind == Token::Kind::kName ? renamed.find(std::string(t.text)) : renamed.end();
    out.text += found != renamed.end() ? found->second : std::string(t.text);
  }
  return out;
}

// The model cut at its top-level declarations: the header (`model NAME` and what comes before
// the first declaration), then one piece per declaration with what follows it up to the next.
struct Pieces {
  std::string header;
  std::vector<std::string> declarations;
  std::vector<bool> is_const;
};

inline std::optional<Pieces> CutAtDeclarations(const std::string& text, std::string* error) {
  std::unique_ptr<ast::Model> model = ParseModel(text, error);
  if (!model) return std::nullopt;
  std::vector<std::pair<size_t, bool>> starts;  // offset, is a const
  auto add = [&](const base::SourceRange& range, bool is_const = false) {
    starts.push_back({OffsetOf(text, range.begin), is_const});
  };
  if (model->runtime.declared) add(model->runtime.range);
  for (const ast::ConstDecl& d : model->consts) add(d.range, true);
  for (const ast::ParamDecl& d : model->params) add(d.range);
  for (const ast::VarDecl& d : model->vars) add(d.range);
  for (const ast::LockDecl& d : model->locks) add(d.range);
  for (const ast::TableDecl& d : model->tables) add(d.range);
  for (const ast::RedisDecl& d : model->redis) add(d.range);
  for (const ast::ProcessDecl& d : model->processes) add(d.range);
  for (const ast::PropertyDecl& d : model->properties) add(d.range);
  for (const ast::AllowDecl& d : model->allows) add(d.range);
  if (model->expect.kind != ast::ExpectKind::kNone) add(model->expect.range);
  std::sort(starts.begin(), starts.end());
  Pieces pieces;
  pieces.header = text.substr(0, starts.empty() ? text.size() : starts[0].first);
  for (size_t k = 0; k < starts.size(); ++k) {
    size_t end = k + 1 < starts.size() ? starts[k + 1].first : text.size();
    std::string piece = text.substr(starts[k].first, end - starts[k].first);
    // Every declaration starts with its keyword; anything else means a range is off.
    if (piece.empty() || !(piece[0] >= 'a' && piece[0] <= 'z')) {
      *error = "a declaration's range does not start at its keyword: " + piece.substr(0, 40);
      return std::nullopt;
    }
    if (!piece.ends_with('\n')) piece += '\n';
    pieces.declarations.push_back(std::move(piece));
    pieces.is_const.push_back(starts[k].second);
  }
  if (!pieces.header.ends_with('\n')) pieces.header += '\n';
  return pieces;
}

inline std::string Join(const Pieces& pieces) {
  std::string text = pieces.header;
  for (const std::string& piece : pieces.declarations) text += piece;
  return text;
}

// Shuffles the top-level declarations. Constants keep their order among themselves (a constant
// may use those above it); every other order is the language's "any order".
inline Mutated Reorder(const std::string& text, SeededRandom& random) {
  Mutated out;
  std::optional<Pieces> pieces = CutAtDeclarations(text, &out.error);
  if (!pieces) return out;
  size_t n = pieces->declarations.size();
  std::vector<size_t> order(n);
  for (size_t k = 0; k < n; ++k) order[k] = k;
  for (size_t k = n; k > 1; --k) std::swap(order[k - 1], order[random.Below(static_cast<int>(k))]);
  // The slots the shuffle gave to constants take the constants in their first order.
  std::vector<size_t> consts;
  for (size_t k = 0; k < n; ++k) {
    if (pieces->is_const[k]) consts.push_back(k);
  }
  size_t next_const = 0;
  Pieces shuffled{pieces->header, {}, {}};
  for (size_t k = 0; k < n; ++k) {
    size_t from = pieces->is_const[order[k]] ? consts[next_const++] : order[k];
    shuffled.declarations.push_back(pieces->declarations[from]);
  }
  out.text = Join(shuffled);
  return out;
}

// Adds one to three variables nothing reads or writes, and comments, between declarations.
inline Mutated AddUnused(const std::string& text, SeededRandom& random) {
  Mutated out;
  std::optional<Pieces> pieces = CutAtDeclarations(text, &out.error);
  if (!pieces) return out;
  NameMaker names(text, random);
  for (int k = 1 + random.Below(3); k > 0; --k) {
    std::string name = names.Make();
    std::string value = std::to_string(random.Below(7) - 3);
    std::string declaration;
    switch (random.Below(5)) {
      case 0: declaration = "ghost " + name + " = " + value; break;
      case 1: declaration = "shared " + name + " = " + value; break;
      case 2: declaration = "ghost " + name + " = " + (random.Below(2) == 0 ? "true" : "false"); break;
      case 3: declaration = "ghost " + name + "[3] = " + value; break;
      default: declaration = "shared " + name + "[1..2] = {" + value + ", 1}"; break;
    }
    if (random.Below(3) == 0) declaration = "/* unused */ " + declaration + "  // nothing reads " + name;
    size_t at = static_cast<size_t>(random.Below(static_cast<int>(pieces->declarations.size()) + 1));
    pieces->declarations.insert(pieces->declarations.begin() + static_cast<std::ptrdiff_t>(at), declaration + "\n");
  }
  out.text = Join(*pieces);
  return out;
}

// The words of grammar/RaceCheck.g4 that cannot be names.
inline bool IsKeyword(std::string_view word) {
  static const std::set<std::string_view> kKeywords = {
      "acquire", "allow", "and", "assert", "assume", "at", "atomic", "await", "break", "choose", "const", "continue",
      "cover", "delete", "else", "enum", "expect", "failure", "false", "final", "for", "from", "ghost", "if", "in", "insert",
      "into", "invariant", "isolation", "let", "lock", "model", "most", "not", "on", "or", "param", "process",
      "redis", "release", "replica", "retry", "rollback", "runtime", "select", "self", "set", "shared", "skip",
      "table", "transaction", "true", "update", "values", "where", "while",
      // Issue 11's words.
      "asc", "by", "check", "conflict", "desc", "do", "excluded", "is", "limit", "locked", "no", "nothing", "nowait", "null", "order", "returning", "share", "then", "unique",
      // Issue 12's procedures, crashes and time.
      "fn", "return", "may", "crash", "takes", "pause"};
  return kKeywords.contains(word);
}

// Splits a statement whose one visible access is a read of a shared variable into that read,
// into a fresh local, and the statement reading the local; on the same line, so that lines in
// messages stay put. The same read step, then the same local work and write:
//   x += e                  ->  let t = x  x = t + (e)       (also -=, *=; x may be x[i])
//   let b = ... x ...       ->  let t = x  let b = ... t ...
//   v = ... x ...           ->  let t = x  v = ... t ...     (v a local, a ghost or a shared variable)
//   if ... x ... {          ->  let t = x  if ... t ... {    (not after `else`)
// Only where it cannot change what is read or when: the expression holds numbers, locals,
// constants, parameters, operators and calls, no `and`/`or` (which might skip the read), and
// x[i]'s index no shared variable; and only in a process's code outside atomic, transaction,
// failure-handler and Redis blocks. Each candidate is split with probability one half; `count`
// says how many were.
inline Mutated HoistReads(const std::string& text, SeededRandom& random, int& count) {
  Mutated out;
  std::unique_ptr<ast::Model> model = ParseModel(text, &out.error);
  if (!model) return out;
  std::set<std::string> shared, arrays, stateful;
  for (const ast::VarDecl& d : model->vars) {
    stateful.insert(d.name);
    if (!d.ghost) shared.insert(d.name);
    if (d.shape) arrays.insert(d.name);
  }
  for (const ast::TableDecl& d : model->tables) stateful.insert(d.name);
  for (const ast::RedisDecl& d : model->redis) stateful.insert(d.name);
  for (const ast::ProcessDecl& d : model->processes) stateful.insert(d.name);
  for (const ast::LockDecl& d : model->locks) stateful.insert(d.name);

  std::vector<Token> sig = Significant(text);
  auto at = [&](size_t k) { return k < sig.size() ? sig[k].text : std::string_view(); };
  auto is = [&](size_t k, Token::Kind kind) { return k < sig.size() && sig[k].kind == kind; };
  // The index of the bracket closing the one at k, or 0.
  auto close = [&](size_t k) -> size_t {
    int depth = 0;
    for (size_t j = k; j < sig.size(); ++j) {
      if (at(j) == "(" || at(j) == "[") ++depth;
      if ((at(j) == ")" || at(j) == "]") && --depth == 0) return j;
      if (at(j) == "{" || at(j) == "}") return 0;
    }
    return 0;
  };
  // One past the end of the expression starting at k, or 0 where it is not one this pass reads.
  auto expression_end = [&](size_t k) -> size_t {
    static const std::set<std::string_view> kBinary = {"*",  "/",  "%", "+",  "-",  "<",
                                                       "<=", ">", ">=", "==", "!=", "="};
    for (;;) {
      while (at(k) == "-" || at(k) == "not") ++k;
      if (at(k) == "(") {
        k = close(k);
        if (k == 0) return 0;
        ++k;
      } else if (is(k, Token::Kind::kNumber)) {
        ++k;
      } else if (is(k, Token::Kind::kName) && (!IsKeyword(at(k)) || at(k) == "true" || at(k) == "false" ||
                                               at(k) == "self")) {
        ++k;
        if (at(k) == "(" || at(k) == "[") {
          k = close(k);
          if (k == 0) return 0;
          ++k;
        }
      } else {
        return 0;
      }
      if (!kBinary.contains(at(k))) return k;
      ++k;
    }
  };
  // One past a read of a shared variable at k (x, or x[i] with no state in i), or 0.
  auto read_end = [&](size_t k) -> size_t {
    std::string name(at(k));
    if (!is(k, Token::Kind::kName) || !shared.contains(name) || at(k + 1) == "." || at(k + 1) == "(") return 0;
    if (!arrays.contains(name)) return at(k + 1) == "[" ? 0 : k + 1;
    size_t end = at(k + 1) == "[" ? close(k + 1) : 0;
    for (size_t j = k + 2; j < end; ++j) {
      if (stateful.contains(std::string(at(j))) || at(j) == ".") return 0;
    }
    return end == 0 ? 0 : end + 1;
  };
  // The reads in sig[from, to), or nullopt when anything else there touches state or may skip.
  auto reads_in = [&](size_t from, size_t to) -> std::optional<std::vector<std::pair<size_t, size_t>>> {
    std::vector<std::pair<size_t, size_t>> reads;
    for (size_t j = from; j < to; ++j) {
      if (at(j) == "and" || at(j) == "or" || at(j) == "." || is(j, Token::Kind::kString)) return std::nullopt;
      if (!stateful.contains(std::string(at(j)))) continue;
      size_t end = read_end(j);
      if (end == 0 || end > to) return std::nullopt;
      reads.push_back({j, end});
      j = end - 1;
    }
    return reads;
  };
  // Where a statement may start: after a block opens or closes, or after the end of an expression.
  auto starts_statement = [&](size_t k) {
    if (k == 0) return false;
    std::string_view before = at(k - 1);
    return before == "{" || before == "}" || before == ")" || before == "]" || is(k - 1, Token::Kind::kNumber) ||
           is(k - 1, Token::Kind::kString) ||
           (is(k - 1, Token::Kind::kName) &&
            (!IsKeyword(before) || before == "true" || before == "false" || before == "self" ||
             before == "break" || before == "continue" || before == "skip" || before == "await" ||
             before == "rollback"));
  };

  NameMaker names(text, random);
  std::vector<bool> blocks;    // per open brace: may a split stand directly or deeper inside it
  std::string_view top_level;  // the last `process`, `table`, `redis` or `fn` at the top level
  size_t copied = 0;
  count = 0;
  auto source = [&](size_t from, size_t to) {  // the text of sig[from, to)
    return text.substr(sig[from].offset, sig[to - 1].offset + sig[to - 1].text.size() - sig[from].offset);
  };
  for (size_t k = 0; k < sig.size(); ++k) {
    std::string_view t = at(k);
    std::string_view before = k > 0 ? at(k - 1) : std::string_view();
    std::string_view before2 = k > 1 ? at(k - 2) : std::string_view();
    if (t == "{") {
      bool splittable = blocks.empty() ? before != "=" && top_level == "process"
                                       : blocks.back() && before != "atomic" && before != "failure" &&
                                             before != "transaction" && before2 != "isolation" && before2 != ".";
      blocks.push_back(splittable);
      continue;
    }
    if (t == "}") {
      if (!blocks.empty()) blocks.pop_back();
      continue;
    }
    // A fn's body is left alone: its copies are process code, but a split there is one per call.
    if (blocks.empty() && (t == "process" || t == "table" || t == "redis" || t == "fn")) top_level = t;
    if (blocks.empty() || !blocks.back()) continue;
    // Where the statement's expression starts, and one past its end.
    size_t from = 0, to = 0;
    if (t == "if" && before != "else") {
      from = k + 1;
      to = expression_end(from);
      if (at(to) != "{") to = 0;
    } else if (t == "let" && is(k + 1, Token::Kind::kName) && at(k + 2) == "=") {
      from = k + 3;
      to = expression_end(from);
    } else if (is(k, Token::Kind::kName) && !IsKeyword(t) && starts_statement(k)) {
      // An assignment: v = e, v[i] = e, v op= e.
      size_t target_end = at(k + 1) == "[" ? close(k + 1) + 1 : k + 1;
      if (target_end == 1) continue;
      std::string_view op = at(target_end);
      if (op == "+=" || op == "-=" || op == "*=") {
        // The read is the target's own; e may read nothing else.
        size_t end = expression_end(target_end + 1);
        std::optional<std::vector<std::pair<size_t, size_t>>> reads = reads_in(target_end + 1, end);
        if (end == 0 || read_end(k) != target_end || !reads || !reads->empty() || random.Below(2) == 0) continue;
        std::string target = source(k, target_end);
        out.text += text.substr(copied, sig[k].offset - copied);
        std::string local = names.Make();
        out.text += "let " + local + " = " + target + "  " + target + " = " + local + " " +
                    std::string(op.substr(0, 1)) + " (" + source(target_end + 1, end) + ")";
        copied = sig[end - 1].offset + sig[end - 1].text.size();
        ++count;
        k = end - 1;
        continue;
      }
      // The index of v[i] may read no state.
      if (op != "=") continue;
      if (target_end > k + 1) {
        std::optional<std::vector<std::pair<size_t, size_t>>> index_reads = reads_in(k + 2, target_end - 1);
        if (!index_reads || !index_reads->empty()) continue;
      }
      from = target_end + 1;
      to = expression_end(from);
    }
    // A member access (`nodes[i].SET`) continues past what expression_end reads.
    if (to == 0 || at(to) == ".") continue;
    std::optional<std::vector<std::pair<size_t, size_t>>> reads = reads_in(from, to);
    // `let b = x` is already split.
    if (!reads || reads->size() != 1 || (t == "let" && (*reads)[0] == std::make_pair(from, to))) continue;
    if (random.Below(2) == 0) continue;
    std::string local = names.Make();
    auto [read_from, read_to] = (*reads)[0];
    out.text += text.substr(copied, sig[k].offset - copied);
    out.text += "let " + local + " = " + source(read_from, read_to) + "  ";
    out.text += text.substr(sig[k].offset, sig[read_from].offset - sig[k].offset) + local;
    size_t after_read = sig[read_to - 1].offset + sig[read_to - 1].text.size();
    size_t statement_end = sig[to - 1].offset + sig[to - 1].text.size();
    out.text += text.substr(after_read, statement_end - after_read);
    copied = statement_end;
    ++count;
    k = to - 1;
  }
  out.text += text.substr(copied);
  return out;
}

}  // namespace racecheck::fuzz
