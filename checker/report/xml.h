// Text made safe for XML 1.0 (the JUnit report): markup characters escaped, characters XML
// cannot hold (controls other than tab and line breaks) and malformed UTF-8 become U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace racecheck::report {

// For element text and for attribute values in double quotes; in attributes, line breaks
// and tabs are written as character references so a parser keeps them.
std::string XmlEscape(std::string_view text, bool attribute);

}  // namespace racecheck::report
