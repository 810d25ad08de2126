#include "checker/driver/cli.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "checker/ast/printer.h"
#include "checker/frontend/analyze.h"

namespace racecheck::driver {

int RunCli(int argc, char** argv) {
  if (argc < 2) return 2;
  std::ifstream in(argv[argc - 1], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  base::SourceFile file(argv[argc - 1], ss.str());
  base::DiagnosticEngine diags(file);
  auto model = frontend::ParseAndCheck(file, {}, diags);
  if (!model) {
    std::fputs(diags.Render().c_str(), stderr);
    return 2;
  }
  std::fputs(ast::PrintModel(*model).c_str(), stdout);
  return 0;
}

}  // namespace racecheck::driver
