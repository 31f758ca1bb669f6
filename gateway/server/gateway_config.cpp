// GatewayConfig loading (see gateway_config.h).
#include "gateway/server/gateway_config.h"

#include <filesystem>
#include <system_error>

#include "common/env.h"
#include "common/log.h"
#include "gateway/session/jwt_authenticator.h"

namespace aw::gateway {
namespace {

namespace fs = std::filesystem;

Status invalid(std::string message) { return Status::error("invalid_config", std::move(message)); }

// Reads an integer variable into `out`; the first failure is kept in `error`.
void read_int(const char* name, std::int64_t min_value, std::int64_t max_value, std::int64_t& out, Status& error) {
  if (!error.is_ok()) return;
  auto value = env_int(name, out, min_value, max_value);
  if (!value.is_ok()) {
    error = invalid(value.status().message());
    return;
  }
  out = value.value();
}

// A variable restricted to a few words; the default when unset.
Status read_choice(const char* name, std::initializer_list<const char*> choices, std::string& out) {
  auto text = env_string(name);
  if (!text) return Status::ok();
  for (const char* choice : choices) {
    if (*text == choice) {
      out = *text;
      return Status::ok();
    }
  }
  std::string allowed;
  for (const char* choice : choices) allowed += (allowed.empty() ? "" : ", ") + std::string(choice);
  return invalid(std::string(name) + " must be one of " + allowed + ", got '" + *text + "'");
}

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(fs::path(path), ec);
  if (ec) return path;
  return p.lexically_normal().string();
}

std::string default_data_path() {
  if (auto home = env_string("HOME")) return (fs::path(*home) / "agent-world").string();
  return "./agent-world";
}

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  const auto end = s.find_last_not_of(" \t");
  return s.substr(begin, end - begin + 1);
}

// LOG_LEVEL and the per-category variables of §10: a typo must not silently leave logging at the default.
Status check_log_levels() {
  for (const char* name : {"LOG_LEVEL", "LOG_WS", "LOG_WS_SERVER", "LOG_WS_PROCESSOR", "LOG_WS_STORAGE",
                           "LOG_WS_CONFIG", "LOG_WS_AUTH", "LOG_WS_QUEUE", "LOG_LLM", "LOG_AGENT"}) {
    auto text = env_string(name);
    LogLevel level;
    if (text && !parse_log_level(*text, level)) {
      return invalid(std::string(name) + " must be one of trace, debug, info, warn, error, off, got '" + *text + "'");
    }
  }
  return Status::ok();
}

}  // namespace

Result<GatewayConfig> load_gateway_config() {
  GatewayConfig c;
  Status error = check_log_levels();
  if (!error.is_ok()) return error;

  c.host = env_string("AW_HOST").value_or("");
  std::int64_t port = c.port;
  read_int("WS_PORT", 0, 65535, port, error);
  c.port = static_cast<std::uint16_t>(port);
  c.port_file = env_string("AW_PORT_FILE").value_or("");

  c.data_path = absolute_path(env_string("AGENT_WORLD_DATA_PATH").value_or(default_data_path()));
  std::string storage_type = "sqlite";
  if (error.is_ok()) error = read_choice("AGENT_WORLD_STORAGE_TYPE", {"sqlite", "memory", "file"}, storage_type);
  if (storage_type == "file") {
    c.warnings.push_back("AGENT_WORLD_STORAGE_TYPE=file is treated as sqlite");
    storage_type = "sqlite";
  }
  c.core.storage_type = storage_type;
  c.core.database_path = absolute_path(
      env_string("AGENT_WORLD_SQLITE_DATABASE").value_or((fs::path(c.data_path) / "agent-world-cpp.db").string()));
  c.core.default_agent_provider = env_string("AW_DEFAULT_AGENT_PROVIDER").value_or(c.core.default_agent_provider);
  c.core.default_agent_model = env_string("AW_DEFAULT_AGENT_MODEL").value_or(c.core.default_agent_model);

  constexpr std::int64_t kDay = 86400000;
  read_int("WS_HEARTBEAT_INTERVAL", 1, kDay, c.heartbeat_interval_ms, error);
  read_int("WS_HEARTBEAT_TIMEOUT", 1, kDay, c.heartbeat_timeout_ms, error);
  read_int("WS_PROCESSOR_HEARTBEAT", 10, kDay, c.processor_heartbeat_ms, error);
  read_int("WS_POLL_INTERVAL", 1, kDay, c.poll_interval_ms, error);

  read_int("AW_MAX_FRAME_BYTES", 64, std::int64_t{1} << 30, c.max_frame_bytes, error);
  read_int("AW_MAX_OUTBOUND_BYTES", 1024, std::int64_t{1} << 34, c.max_outbound_bytes, error);
  read_int("AW_MAX_RESPONSE_BYTES", 1024, std::int64_t{1} << 31, c.max_response_bytes, error);
  read_int("AW_MAX_SUBSCRIPTIONS", 1, 1000000, c.max_subscriptions, error);
  read_int("AW_MAX_CONNECTIONS", 0, 10000000, c.max_connections, error);
  read_int("AW_RATE_LIMIT_RPS", 0, 1000000, c.rate_limit_rps, error);
  read_int("AW_RATE_LIMIT_BURST", 0, 1000000, c.rate_limit_burst, error);

  read_int("AW_REPLAY_MAX_EVENTS", 0, 100000000, c.core.replay_max_events, error);
  read_int("AW_EVENT_RETENTION_DAYS", 0, 36500, c.event_retention_days, error);
  read_int("AW_QUEUE_MAX_RETRIES", 0, 1000, c.core.queue_max_retries, error);
  read_int("AW_QUEUE_RETRY_BASE_MS", 1, kDay, c.queue_retry_base_ms, error);
  read_int("AW_QUEUE_RETRY_MAX_MS", 1, kDay, c.queue_retry_max_ms, error);
  read_int("AW_QUEUE_MAX_PENDING_PER_WORLD", 1, 100000000, c.core.queue_max_pending_per_world, error);
  read_int("AW_QUEUE_RETENTION_DAYS", 0, 36500, c.queue_retention_days, error);
  read_int("AW_RUN_TIMEOUT_MS", 1000, kDay, c.run_timeout_ms, error);
  read_int("AW_HISTORY_WINDOW", 0, 10000, c.history_window, error);
  read_int("AW_TITLE_TIMEOUT_MS", 1, kDay, c.title_timeout_ms, error);
  read_int("AW_AUTH_TIMEOUT_MS", 1, kDay, c.auth_timeout_ms, error);
  read_int("AW_SHUTDOWN_GRACE_MS", 0, kDay, c.shutdown_grace_ms, error);
  if (!error.is_ok()) return error;
  if (c.queue_retry_base_ms > c.queue_retry_max_ms) {
    return invalid("AW_QUEUE_RETRY_BASE_MS (" + std::to_string(c.queue_retry_base_ms) +
                   ") must not exceed AW_QUEUE_RETRY_MAX_MS (" + std::to_string(c.queue_retry_max_ms) + ")");
  }

  error = read_choice("AW_CHAT_TITLES", {"llm", "derived", "off"}, c.chat_titles);
  if (!error.is_ok()) return error;
  error = read_choice("AW_AUTH", {"off", "required"}, c.auth_mode);
  if (!error.is_ok()) return error;
  c.auth_jwt_secret = env_string("AW_AUTH_JWT_SECRET").value_or("");
  c.auth_issuer = env_string("AW_AUTH_ISSUER").value_or("");
  c.auth_audience = env_string("AW_AUTH_AUDIENCE").value_or("");
  if (c.auth_mode == "required") {
    if (c.auth_jwt_secret.size() < 32) {
      return invalid("AW_AUTH=required needs AW_AUTH_JWT_SECRET of at least 32 bytes");
    }
  }

  if (auto origins = env_string("AW_ALLOWED_ORIGINS")) {
    std::vector<std::string> list;
    std::size_t start = 0;
    while (start <= origins->size()) {
      const std::size_t comma = origins->find(',', start);
      std::string item = trim(origins->substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      while (!item.empty() && item.back() == '/') item.pop_back();
      if (!item.empty()) list.push_back(std::move(item));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (list.empty()) return invalid("AW_ALLOWED_ORIGINS is set but lists no origin");
    c.allowed_origins = std::move(list);
  }
  return c;
}

ServiceOptions to_service_options(const GatewayConfig& config) {
  ServiceOptions o;
  o.session.max_outbound_bytes = static_cast<std::size_t>(config.max_outbound_bytes);
  o.session.max_subscriptions = static_cast<std::size_t>(config.max_subscriptions);
  o.session.rate_limit_rps = config.rate_limit_rps;
  o.session.rate_limit_burst = config.rate_limit_burst;
  o.max_response_bytes = static_cast<std::size_t>(config.max_response_bytes);
  o.heartbeat_interval = std::chrono::milliseconds(config.heartbeat_interval_ms);
  o.heartbeat_timeout = std::chrono::milliseconds(config.heartbeat_timeout_ms);
  o.auth_timeout = std::chrono::milliseconds(config.auth_timeout_ms);
  return o;
}

std::unique_ptr<Authenticator> make_authenticator(const GatewayConfig& config) {
  if (config.auth_mode != "required") return std::make_unique<NoAuthAuthenticator>();
  JwtSettings settings;
  settings.secret = config.auth_jwt_secret;
  settings.issuer = config.auth_issuer;
  settings.audience = config.auth_audience;
  return std::make_unique<JwtAuthenticator>(std::move(settings));
}

Status prepare_data_directory(const GatewayConfig& config) {
  std::error_code ec;
  fs::create_directories(config.data_path, ec);
  if (ec) return invalid("cannot create data directory '" + config.data_path + "': " + ec.message());
  if (config.core.storage_type == "sqlite") {
    const fs::path parent = fs::path(config.core.database_path).parent_path();
    if (!parent.empty()) {
      fs::create_directories(parent, ec);
      if (ec) return invalid("cannot create database directory '" + parent.string() + "': " + ec.message());
    }
  }
  return Status::ok();
}

}  // namespace aw::gateway
