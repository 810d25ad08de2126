#include "checker/report/html.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "checker/report/changes.h"
#include "checker/report/verdict.h"

namespace racecheck::report {
namespace {

std::string Escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

constexpr const char* kStyle = R"css(
:root { --ink: #1d2329; --muted: #5b6570; --line: #d9dee3; --act: #fff6d6; --bad: #b3261e; --good: #1e7b34;
        --warn: #8a5a00; --local: #5b6570; --pick: #dbeafe; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink);
       margin: 0; padding: 24px 32px; background: #fafbfc; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
code, .mono { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid var(--line); padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #f0f2f5; font-weight: 600; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
         color: #fff; background: var(--muted); }
.badge.safe { background: var(--good); } .badge.violation, .badge.deadlock { background: var(--bad); }
.badge.inconclusive, .badge.error { background: var(--warn); }
.explanation { border-left: 4px solid var(--bad); background: #fff; padding: 8px 12px; margin: 8px 0;
               white-space: pre-wrap; }
.swimlane { margin-top: 8px; width: 100%; table-layout: auto; }
.swimlane td.step { color: var(--muted); text-align: right; white-space: nowrap; }
.swimlane td.act { background: var(--act); min-width: 220px; }
.swimlane td.idle { background: #fff; }
.swimlane tr.selected td { outline: 2px solid #2563eb; outline-offset: -2px; }
.swimlane tr.selected td.act, .swimlane tr.selected td.idle { background: var(--pick); }
.stmt { white-space: pre-wrap; word-break: break-word; }
.line { color: var(--muted); font-size: 12px; margin-right: 6px; }
ul.changes { list-style: none; margin: 4px 0 0; padding: 0; }
ul.changes li { white-space: pre-wrap; word-break: break-word; }
ul.changes li.local { color: var(--local); }
ul.changes li.wait { color: var(--warn); font-weight: 600; }
td.state { font-size: 12.5px; min-width: 200px; }
td.state div { white-space: nowrap; }
td.state .changed { font-weight: 700; background: var(--act); }
ul.plain { margin: 4px 0; padding-left: 20px; }
pre.errors { background: #fff; border: 1px solid var(--line); padding: 8px 12px; overflow-x: auto; }
)css";

// Selecting a row (click, or the arrow keys once one is selected) marks it: the state column
// beside it is the state after that step.
constexpr const char* kScript = R"js(
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('table.swimlane tbody tr'));
  var selected = null;
  function select(row) {
    if (selected) selected.classList.remove('selected');
    selected = row;
    if (row) { row.classList.add('selected'); row.scrollIntoView({block: 'nearest'}); }
  }
  rows.forEach(function (row) { row.addEventListener('click', function () { select(row); }); });
  document.addEventListener('keydown', function (event) {
    if (!selected) return;
    var table = selected.parentNode, index = Array.prototype.indexOf.call(table.rows, selected);
    if (event.key === 'ArrowDown' && index + 1 < table.rows.length) select(table.rows[index + 1]);
    if (event.key === 'ArrowUp' && index > 0) select(table.rows[index - 1]);
  });
  document.body.setAttribute('data-rendered', String(rows.length));
})();
)js";

std::string VerdictBadge(const std::string& word) {
  return fmt::format("<span class=\"badge {0}\">{1}</span>", word, Escape(word));
}

std::string ExpectationText(const result::Expectation& expectation) {
  if (!expectation.declared) return "<span class=\"muted\">none</span>";
  return fmt::format("{} ({})", Escape(expectation.expected), expectation.met ? "met" : "<b>not met</b>");
}

// The value of every shared name the trace touches, after each of its steps: before a name's
// first change it holds that change's old value.
std::vector<std::map<std::string, std::string>> SharedStates(const std::vector<result::Step>& trace,
                                                            std::vector<std::string>& names) {
  for (const result::Step& step : trace) {
    for (const result::Change& change : step.changes) {
      if (change.local || IsWait(change)) continue;
      if (std::find(names.begin(), names.end(), change.name) == names.end()) names.push_back(change.name);
    }
  }
  std::map<std::string, std::string> current;
  for (const std::string& name : names) {
    if (name.ends_with(", uncommitted")) continue;  // no version before its first write
    for (const result::Step& step : trace) {
      auto it = std::find_if(step.changes.begin(), step.changes.end(),
                             [&](const result::Change& c) { return !c.local && c.name == name; });
      if (it == step.changes.end()) continue;
      current[name] = it->old_value.empty() ? "\u2014" : it->old_value;
      break;
    }
  }
  std::vector<std::map<std::string, std::string>> states;
  for (const result::Step& step : trace) {
    for (const result::Change& change : step.changes) {
      if (change.local || IsWait(change)) continue;
      current[change.name] = change.new_value;
      // A row lock given up ends the holder's uncommitted version (commit, rollback or crash):
      // the trace writes no change for a version that is gone, so its cells leave the state here.
      constexpr std::string_view kRowLock = "row lock ";
      if (change.name.starts_with(kRowLock) && change.new_value == "free") {
        std::string row = change.name.substr(kRowLock.size());
        std::erase_if(current, [&](const auto& entry) { return IsUncommittedCellOf(entry.first, row); });
      }
    }
    states.push_back(current);
  }
  return states;
}

std::string Swimlane(const std::vector<result::Step>& trace) {
  std::vector<std::string> lanes;
  for (const result::Step& step : trace) {
    std::string lane = step.number == 0 ? "" : step.process.empty() ? "environment" : step.process;
    if (!lane.empty() && std::find(lanes.begin(), lanes.end(), lane) == lanes.end()) lanes.push_back(lane);
  }
  std::vector<std::string> names;
  std::vector<std::map<std::string, std::string>> states = SharedStates(trace, names);
  std::string out = "<table class=\"swimlane\"><thead><tr><th>step</th>";
  for (const std::string& lane : lanes) out += fmt::format("<th>{}</th>", Escape(lane));
  out += "<th>shared state after the step</th></tr></thead><tbody>\n";
  for (size_t k = 0; k < trace.size(); ++k) {
    const result::Step& step = trace[k];
    std::string lane = step.number == 0 ? "" : step.process.empty() ? "environment" : step.process;
    out += fmt::format("<tr data-step=\"{0}\"><td class=\"step\">{1}</td>", step.number,
                       step.number == 0 ? "start" : std::to_string(step.number));
    for (const std::string& column : lanes) {
      if (column != lane) {
        out += "<td class=\"idle\"></td>";
        continue;
      }
      out += "<td class=\"act\"><div class=\"stmt\">";
      if (step.line > 0) out += fmt::format("<span class=\"line\">{}</span>", Escape(result::LineText(step.line, step.called_from)));
      out += fmt::format("<code>{}</code></div><ul class=\"changes\">", Escape(step.statement));
      for (const result::Change& change : step.changes) {
        const char* kind = IsWait(change) ? "wait" : change.local ? "local" : "write";
        out += fmt::format("<li class=\"{}\">{}</li>", kind, Escape(ChangeText(change)));
      }
      out += "</ul></td>";
    }
    out += "<td class=\"state\">";
    if (step.number == 0) {
      for (const result::Change& change : step.changes) {
        out += fmt::format("<div class=\"changed\">{}</div>", Escape(ChangeText(change)));
      }
    }
    for (const std::string& name : names) {
      auto value = states[k].find(name);
      if (value == states[k].end()) continue;  // an uncommitted version that has ended
      bool changed = std::any_of(step.changes.begin(), step.changes.end(),
                                 [&](const result::Change& c) { return !c.local && c.name == name; });
      out += fmt::format("<div{}>{} = {}</div>", changed ? " class=\"changed\"" : "", Escape(name),
                         Escape(value->second));
    }
    out += "</td></tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string ViolationSection(const result::Violation& violation) {
  std::string out = fmt::format("<article class=\"violation\"><h3>{}: {}</h3>\n", Escape(ViolationLabel(violation)),
                                Escape(violation.message));
  if (!violation.explanation.empty()) {
    out += fmt::format("<div class=\"explanation\">{}</div>\n", Escape(violation.explanation));
  }
  if (!violation.values.empty()) {
    out += "<p>In the last state: ";
    for (size_t i = 0; i < violation.values.size(); ++i) {
      out += fmt::format("{}<code>{} = {}</code>", i == 0 ? "" : ", ", Escape(violation.values[i].name),
                         Escape(violation.values[i].value));
    }
    out += "</p>\n";
  }
  if (!violation.blocked.empty()) {
    out += "<p>Blocked:</p><ul class=\"plain\">";
    for (const std::string& line : violation.blocked) out += fmt::format("<li>{}</li>", Escape(line));
    out += "</ul>\n";
  }
  if (!violation.trace.empty()) {
    size_t steps = std::count_if(violation.trace.begin(), violation.trace.end(),
                                 [](const result::Step& s) { return s.number > 0; });
    out += fmt::format("<p class=\"muted\">The shortest run: {} step{}. Click a row to mark it; the arrow keys "
                       "move the mark.</p>\n", steps, steps == 1 ? "" : "s");
    out += Swimlane(violation.trace);
  }
  return out + "</article>\n";
}

std::string Costs(const result::Report& report, bool stable) {
  const result::Stats& s = report.stats;
  std::string out = fmt::format("<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>", Escape(report.engine),
                                s.states, s.transitions, s.blocked_states, s.failed_transactions);
  if (!stable) out += fmt::format("<td>{:.2f} s</td>", s.seconds);
  return out;
}

}  // namespace

std::string RenderHtml(const std::vector<result::Report>& reports, const std::vector<ModelError>& errors, bool stable) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>racecheck: {} model{}</title>\n<style>{}</style></head>\n<body>\n",
                     reports.size() + errors.size(), reports.size() + errors.size() == 1 ? "" : "s", kStyle);
  size_t violated = std::count_if(reports.begin(), reports.end(), [](const result::Report& r) {
    return r.verdict == result::Verdict::kViolation || r.verdict == result::Verdict::kDeadlock;
  });
  out += fmt::format("<h1>racecheck</h1><p class=\"muted\">{} checked, {} with a counterexample, {} with model "
                     "errors</p>\n", reports.size(), violated, errors.size());
  out += "<table class=\"summary\"><thead><tr><th>model</th><th>file</th><th>verdict</th><th>expectation</th>"
         "<th>engine</th><th>states</th><th>transitions</th><th>blocked states</th><th>failed transactions</th>";
  out += stable ? "</tr></thead><tbody>\n" : "<th>time</th></tr></thead><tbody>\n";
  for (size_t i = 0; i < reports.size(); ++i) {
    const result::Report& r = reports[i];
    std::string name = r.violations.empty() ? Escape(r.model) : fmt::format("<a href=\"#model-{}\">{}</a>", i, Escape(r.model));
    out += fmt::format("<tr><td>{}</td><td class=\"mono\">{}</td><td>{}</td><td>{}</td>{}</tr>\n", name,
                       Escape(r.file), VerdictBadge(VerdictWord(r)), ExpectationText(r.expectation), Costs(r, stable));
  }
  for (const ModelError& error : errors) {
    out += fmt::format("<tr><td></td><td class=\"mono\">{}</td><td>{}</td><td colspan=\"{}\">not checked: see the "
                       "errors below</td></tr>\n", Escape(error.file), VerdictBadge("error"), stable ? 6 : 7);
  }
  out += "</tbody></table>\n";
  // The groups the state counts were reduced by (one state per orbit), as the text report says.
  for (const result::Report& r : reports) {
    if (!r.symmetry.empty()) {
      out += fmt::format("<p class=\"muted\">{}: symmetry: {} interchangeable</p>\n", Escape(r.model),
                         Escape(fmt::format("{}", fmt::join(r.symmetry, "; "))));
    }
    for (const result::SymmetryRefusal& refusal : r.symmetry_refused) {
      out += fmt::format("<p class=\"muted\">{}: symmetry: {}</p>\n", Escape(r.model), Escape(SymmetryRefusalText(refusal)));
    }
  }
  for (size_t i = 0; i < reports.size(); ++i) {
    const result::Report& r = reports[i];
    if (r.violations.empty()) continue;
    out += fmt::format("<section class=\"model\" id=\"model-{}\"><h2>{} {} <span class=\"muted mono\">{}</span></h2>\n",
                       i, Escape(r.model), VerdictBadge(VerdictWord(r)), Escape(r.file));
    if (!r.inconclusive_reason.empty()) out += fmt::format("<p>Inconclusive: {}</p>\n", Escape(r.inconclusive_reason));
    for (const result::Violation& violation : r.violations) out += ViolationSection(violation);
    out += "</section>\n";
  }
  if (!errors.empty()) {
    out += "<section class=\"errors\"><h2>Model errors</h2>\n";
    for (const ModelError& error : errors) {
      out += fmt::format("<h3 class=\"mono\">{}</h3><pre class=\"errors\">{}</pre>\n", Escape(error.file),
                         Escape(error.diagnostics));
    }
    out += "</section>\n";
  }
  return out + fmt::format("<script>{}</script>\n</body></html>\n", kScript);
}

std::string RenderHtml(const result::Run& run) {
  std::vector<result::Report> reports;
  std::vector<ModelError> errors;
  for (const result::FileResult& file : run.files) {
    reports.insert(reports.end(), file.reports.begin(), file.reports.end());
    if (file.status != result::FileStatus::kModelError) continue;
    ModelError error{file.file, ""};
    for (const result::Diagnostic& d : file.diagnostics) {
      error.diagnostics += d.line > 0 ? fmt::format("{}:{}:{}: {}: {}\n", d.file, d.line, d.column, d.severity, d.message)
                                      : fmt::format("{}: {}: {}\n", d.file, d.severity, d.message);
    }
    errors.push_back(std::move(error));
  }
  return RenderHtml(reports, errors, run.stable);
}

}  // namespace racecheck::report
