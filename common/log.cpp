// JSON-lines logger (see log.h).
#include "common/log.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "common/json.h"
#include "common/time_util.h"

extern char** environ;

namespace aw {

bool parse_log_level(std::string_view text, LogLevel& out) {
  std::string t;
  for (char c : text) t.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (t == "trace")
    out = LogLevel::Trace;
  else if (t == "debug")
    out = LogLevel::Debug;
  else if (t == "info")
    out = LogLevel::Info;
  else if (t == "warn" || t == "warning")
    out = LogLevel::Warn;
  else if (t == "error")
    out = LogLevel::Error;
  else if (t == "off" || t == "silent" || t == "none")
    out = LogLevel::Off;
  else
    return false;
  return true;
}

namespace {
const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::Trace:
      return "trace";
    case LogLevel::Debug:
      return "debug";
    case LogLevel::Info:
      return "info";
    case LogLevel::Warn:
      return "warn";
    case LogLevel::Error:
      return "error";
    case LogLevel::Off:
      return "off";
  }
  return "info";
}
}  // namespace

std::shared_ptr<LogSink> LogSink::from_env() {
  LogLevel level = LogLevel::Info;
  if (const char* v = std::getenv("LOG_LEVEL")) parse_log_level(v, level);
  auto sink = std::make_shared<LogSink>(level);
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    if (entry.rfind("LOG_", 0) != 0 || entry.rfind("LOG_LEVEL=", 0) == 0) continue;
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    LogLevel cat_level;
    if (!parse_log_level(entry.substr(eq + 1), cat_level)) continue;
    // LOG_WS_STORAGE -> "ws.storage"
    std::string category;
    for (char c : entry.substr(4, eq - 4)) {
      category.push_back(c == '_' ? '.' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    sink->set_category_level(category, cat_level);
  }
  return sink;
}

void LogSink::set_category_level(std::string category_prefix, LogLevel level) {
  category_levels_[std::move(category_prefix)] = level;
}

LogLevel LogSink::level_for(std::string_view category) const {
  // Most specific prefix wins: try "ws.storage.x", then "ws.storage", then "ws".
  std::string_view probe = category;
  while (!probe.empty()) {
    auto it = category_levels_.find(probe);
    if (it != category_levels_.end()) return it->second;
    auto dot = probe.rfind('.');
    if (dot == std::string_view::npos) break;
    probe = probe.substr(0, dot);
  }
  return default_level_;
}

bool LogSink::enabled(std::string_view category, LogLevel level) const {
  return level != LogLevel::Off && level >= level_for(category);
}

void LogSink::write(LogLevel level, std::string_view category, std::string_view message,
                    std::initializer_list<LogField> fields) {
  std::string line;
  line.reserve(128);
  line += "{\"time\":";
  json::append_quoted(line, iso8601_ms(now_ms()));
  line += ",\"level\":\"";
  line += level_name(level);
  line += "\",\"category\":";
  json::append_quoted(line, category);
  line += ",\"message\":";
  json::append_quoted(line, message);
  for (const auto& f : fields) {
    line.push_back(',');
    json::append_quoted(line, f.key);
    line.push_back(':');
    if (f.quoted)
      json::append_quoted(line, f.value);
    else
      line += f.value;
  }
  line += "}\n";
  std::lock_guard<std::mutex> lock(write_mutex_);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace aw
