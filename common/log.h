// JSON-lines logger: one object per line on stderr with time, level, category, message and context fields.
// Levels come from LOG_LEVEL and per-category overrides LOG_<CATEGORY> (dots become underscores; the most specific
// prefix wins: LOG_WS_STORAGE beats LOG_WS for "ws.storage"). Secrets are never passed as fields (callers log ids,
// kinds and sizes, not bodies or keys).
// Thread-safety: every member is safe from any thread; writes are serialised by one mutex.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace aw {

enum class LogLevel { Trace = 0, Debug, Info, Warn, Error, Off };

// Parses "trace".."error"/"off" (case-insensitive); nullopt-like Off+1 sentinel avoided: returns false on bad text.
bool parse_log_level(std::string_view text, LogLevel& out);

// One context field of a log line. Numbers are written bare, strings quoted.
struct LogField {
  LogField(std::string_view k, std::string_view v) : key(k), value(v), quoted(true) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(v), quoted(true) {}
  LogField(std::string_view k, const char* v) : key(k), value(v), quoted(true) {}
  LogField(std::string_view k, std::int64_t v) : key(k), value(std::to_string(v)), quoted(false) {}
  LogField(std::string_view k, int v) : key(k), value(std::to_string(v)), quoted(false) {}
  LogField(std::string_view k, std::uint64_t v) : key(k), value(std::to_string(v)), quoted(false) {}
  LogField(std::string_view k, bool v) : key(k), value(v ? "true" : "false"), quoted(false) {}
  std::string key;
  std::string value;
  bool quoted;
};

class LogSink {
 public:
  // Reads LOG_LEVEL and every LOG_* variable of the environment.
  static std::shared_ptr<LogSink> from_env();
  explicit LogSink(LogLevel default_level) : default_level_(default_level) {}

  void set_category_level(std::string category_prefix, LogLevel level);
  bool enabled(std::string_view category, LogLevel level) const;
  void write(LogLevel level, std::string_view category, std::string_view message,
             std::initializer_list<LogField> fields);

 private:
  LogLevel level_for(std::string_view category) const;
  LogLevel default_level_;
  std::map<std::string, LogLevel, std::less<>> category_levels_;  // "ws.storage" -> level; fixed after start-up
  std::mutex write_mutex_;                                        // guards stderr writes
};

// A component's logger: the sink plus the component's category ("ws.server", "ws.storage", ...).
class Logger {
 public:
  Logger() = default;
  Logger(std::shared_ptr<LogSink> sink, std::string category)
      : sink_(std::move(sink)), category_(std::move(category)) {}
  Logger child(std::string_view sub) const { return Logger(sink_, category_ + "." + std::string(sub)); }

  bool enabled(LogLevel level) const { return sink_ && sink_->enabled(category_, level); }
  void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {}) const {
    if (enabled(level)) sink_->write(level, category_, message, fields);
  }
  void trace(std::string_view m, std::initializer_list<LogField> f = {}) const { log(LogLevel::Trace, m, f); }
  void debug(std::string_view m, std::initializer_list<LogField> f = {}) const { log(LogLevel::Debug, m, f); }
  void info(std::string_view m, std::initializer_list<LogField> f = {}) const { log(LogLevel::Info, m, f); }
  void warn(std::string_view m, std::initializer_list<LogField> f = {}) const { log(LogLevel::Warn, m, f); }
  void error(std::string_view m, std::initializer_list<LogField> f = {}) const { log(LogLevel::Error, m, f); }

 private:
  std::shared_ptr<LogSink> sink_;
  std::string category_;
};

}  // namespace aw
