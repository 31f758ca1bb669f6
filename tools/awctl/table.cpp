// render_table (see table.h).
#include "tools/awctl/table.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace aw::ctl {
namespace {

// Nested values longer than this are cut: a table is for scanning; --json has everything.
constexpr std::size_t kMaxCell = 48;

}  // namespace

std::string cell_text(const json::Value& v) {
  std::string s;
  if (v.IsNull()) return "";
  if (v.IsString()) {
    s.assign(v.GetString(), v.GetStringLength());
  } else if (v.IsBool()) {
    s = v.GetBool() ? "true" : "false";
  } else {
    s = json::to_string(v).value_or("?");
  }
  for (char& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  if (s.size() > kMaxCell) s = s.substr(0, kMaxCell - 3) + "...";
  return s;
}

std::string render_table(const json::Value& rows) {
  if (!rows.IsArray() || rows.Empty()) return "(none)\n";
  std::vector<std::string> keys;
  for (const auto& row : rows.GetArray()) {
    if (!row.IsObject()) {
      if (std::find(keys.begin(), keys.end(), "value") == keys.end()) keys.push_back("value");
      continue;
    }
    for (auto m = row.MemberBegin(); m != row.MemberEnd(); ++m) {
      std::string k(m->name.GetString(), m->name.GetStringLength());
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(std::move(k));
    }
  }
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> width(keys.size());
  std::vector<std::string> header;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    std::string h = keys[i];
    for (char& c : h) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    width[i] = h.size();
    header.push_back(std::move(h));
  }
  for (const auto& row : rows.GetArray()) {
    std::vector<std::string> line(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (!row.IsObject()) {
        if (keys[i] == "value") line[i] = cell_text(row);
      } else if (const json::Value* v = json::find(row, keys[i])) {
        line[i] = cell_text(*v);
      }
      width[i] = std::max(width[i], line[i].size());
    }
    cells.push_back(std::move(line));
  }
  auto emit = [&](std::string& out, const std::vector<std::string>& line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
      out += line[i];
      if (i + 1 < line.size()) out += std::string(width[i] - line[i].size() + 2, ' ');
    }
    out += '\n';
  };
  std::string out;
  emit(out, header);
  for (const auto& line : cells) emit(out, line);
  return out;
}

}  // namespace aw::ctl
