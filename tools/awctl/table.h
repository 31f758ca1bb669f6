// Text tables for awctl: an array of JSON objects becomes aligned columns (one per key, in order of first
// appearance, headers in upper case); nested values are shown as compact JSON, cut to a readable width.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "common/json.h"

namespace aw::ctl {

// The table text (ending in a newline); "(none)\n" for an empty array. Non-object rows get one column "VALUE".
std::string render_table(const json::Value& rows);
// One cell's text.
std::string cell_text(const json::Value& v);

}  // namespace aw::ctl
