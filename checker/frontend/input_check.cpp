#include "checker/frontend/input_check.h"

#include <fmt/format.h>

#include "checker/base/source.h"
#include "checker/frontend/parse.h"

namespace racecheck::frontend {

bool CheckInputText(const base::SourceFile& file, base::DiagnosticEngine& diags) {
  const std::string& text = file.text();
  if (text.size() > kMaxModelBytes) {
    diags.FileError(fmt::format("the file is {} bytes; racecheck reads models of at most {} bytes "
                                "(is this really a .cr model?)", text.size(), kMaxModelBytes));
    return false;
  }
  int line = 1, column = 1;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
      diags.Error({line, column}, fmt::format("this file is not text: here is the control byte 0x{:02x}, shown as "
                                              "'?' (a .cr model is plain UTF-8 text)", c));
      return false;
    }
    size_t length = base::Utf8SequenceLength(text, i);
    if (length == 0) {
      diags.Error({line, column}, fmt::format("this file is not UTF-8 text: the byte 0x{:02x} here, shown as '?', "
                                              "starts no character (save the file as UTF-8)", c));
      return false;
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += length;
  }
  return true;
}

}  // namespace racecheck::frontend
