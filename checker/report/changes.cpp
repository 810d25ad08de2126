#include "checker/report/changes.h"

#include <fmt/format.h>

#include <optional>

namespace racecheck::report {
namespace {

constexpr std::string_view kWaits = " waits for";

// A table cell's name as the explicit engine's naming spells it: "accounts[1].balance" or
// "accounts[1].balance, uncommitted" (and "orders[10] exists, uncommitted" for the row itself).
struct CellName {
  std::string row;     // "accounts[1]"
  std::string column;  // "balance", or "exists"
  std::string tag;     // "uncommitted" or empty
};

std::optional<CellName> ParseCell(const std::string& name) {
  CellName cell;
  std::string base = name;
  if (size_t comma = name.find(", "); comma != std::string::npos) {
    cell.tag = name.substr(comma + 2);
    base = name.substr(0, comma);
  }
  size_t open = base.find('[');
  size_t close = base.find(']');
  if (open == std::string::npos || open == 0 || close == std::string::npos || close < open) return std::nullopt;
  if (base.find(' ') < open) return std::nullopt;  // "row lock accounts[1]", "lock acct[0]": not a cell
  cell.row = base.substr(0, close + 1);
  std::string rest = base.substr(close + 1);
  if (rest.size() > 1 && rest[0] == '.') {
    cell.column = rest.substr(1);
  } else if (rest == " exists") {
    cell.column = "exists";
  } else {
    return std::nullopt;
  }
  if (cell.column.find_first_of(" .[") != std::string::npos) return std::nullopt;
  return cell;
}

std::string ValueChange(const std::string& what, const result::Change& change) {
  std::string text = change.old_value.empty()
                         ? fmt::format("{} = {}", what, change.new_value)
                         : fmt::format("{} {} \u2192 {}", what, change.old_value, change.new_value);
  if (change.line > 0) text += fmt::format(" (line {})", change.line);
  return text;
}

}  // namespace

bool IsWait(const result::Change& change) {
  return change.name.size() > kWaits.size() &&
         change.name.compare(change.name.size() - kWaits.size(), kWaits.size(), kWaits) == 0;
}

bool IsUncommittedCellOf(const std::string& name, const std::string& row) {
  std::optional<CellName> cell = ParseCell(name);
  return cell && cell->row == row && cell->tag == "uncommitted";
}

std::string ChangeText(const result::Change& change) {
  if (IsWait(change)) return fmt::format("{} {}", change.name, change.new_value);
  return ValueChange(change.name, change);
}

std::vector<std::string> ChangeLines(const std::vector<result::Change>& changes) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < changes.size();) {
    std::optional<CellName> cell = changes[i].local ? std::nullopt : ParseCell(changes[i].name);
    if (!cell) {
      lines.push_back(ChangeText(changes[i++]));
      continue;
    }
    // This row's other cells (of the same version) among the rest of the step's changes.
    std::string line = fmt::format("{}: {}", cell->row, ValueChange(cell->column, changes[i]));
    size_t j = i + 1;
    for (; j < changes.size(); ++j) {
      std::optional<CellName> next = changes[j].local ? std::nullopt : ParseCell(changes[j].name);
      if (!next || next->row != cell->row || next->tag != cell->tag) break;
      line += ", " + ValueChange(next->column, changes[j]);
    }
    if (!cell->tag.empty()) line += fmt::format(" ({})", cell->tag);
    lines.push_back(std::move(line));
    i = j;
  }
  return lines;
}

}  // namespace racecheck::report
