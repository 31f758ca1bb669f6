// Command params validation (see command_params.h).
#include "gateway/core/command_params.h"

#include <cmath>
#include <limits>

#include "common/ids.h"
#include "gateway/core/world_export.h"

namespace aw::gateway {
namespace {

constexpr std::size_t kMaxNameChars = 100;
constexpr std::int64_t kDefaultTurnLimit = 5;

// An integral JSON number as int64 (5 and 5.0 alike); nullopt for anything else.
std::optional<std::int64_t> as_integer(const json::Value& v) {
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsDouble()) {
    double d = v.GetDouble();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

}  // namespace

std::string command_failed_text(std::string_view detail) { return "Command execution failed: " + std::string(detail); }

Status invalid_param(std::string_view field, std::string_view problem) {
  return Status::invalid_request(command_failed_text(std::string(field) + " " + std::string(problem)));
}

bool is_known_provider(std::string_view provider) {
  static constexpr std::string_view kProviders[] = {"openai", "anthropic",         "azure", "google",
                                                    "xai",    "openai-compatible", "ollama"};
  for (std::string_view p : kProviders) {
    if (p == provider) return true;
  }
  return false;
}

const json::Value* param(const json::Value& params, std::string_view field) {
  const json::Value* v = json::find(params, field);
  return v == nullptr || v->IsNull() ? nullptr : v;
}

bool has_param(const json::Value& params, std::string_view field) { return json::find(params, field) != nullptr; }

Result<std::optional<std::string>> optional_string(const json::Value& params, std::string_view field) {
  const json::Value* v = param(params, field);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->IsString()) return invalid_param(field, "must be a string");
  return std::optional<std::string>(std::string(v->GetString(), v->GetStringLength()));
}

Result<std::string> required_string(const json::Value& params, std::string_view field) {
  auto s = optional_string(params, field);
  if (!s) return s.status();
  if (!s.value()) return invalid_param(field, "is required");
  return std::move(*s.value());
}

Result<FieldUpdate<std::string>> string_update(const json::Value& params, std::string_view field) {
  if (!has_param(params, field)) return FieldUpdate<std::string>();
  auto s = optional_string(params, field);
  if (!s) return s.status();
  return FieldUpdate<std::string>(std::move(s.value()));
}

Status check_name(std::string_view field, const std::string& name) {
  std::size_t chars = code_point_count(name);
  if (chars < 1 || chars > kMaxNameChars) return invalid_param(field, "must be 1 to 100 characters");
  return Status::ok();
}

Result<std::string> make_id(std::string_view input) {
  std::string id = kebab_case(input);
  if (id.empty()) {
    return Status::invalid_request(command_failed_text(
        "'" + std::string(input) + "' does not produce a valid id (use at least one ASCII letter or digit)"));
  }
  if (id.size() > kMaxIdLength) return invalid_param("id", "must be at most 100 characters");
  return id;
}

Result<std::optional<std::int64_t>> optional_integer(const json::Value& params, std::string_view field,
                                                     std::int64_t min_value, std::int64_t max_value,
                                                     std::string_view problem) {
  const json::Value* v = param(params, field);
  if (v == nullptr) return std::optional<std::int64_t>();
  auto n = as_integer(*v);
  if (!n || *n < min_value || *n > max_value) return invalid_param(field, problem);
  return std::optional<std::int64_t>(*n);
}

Result<std::int64_t> turn_limit(const json::Value& params) {
  auto n =
      optional_integer(params, "turnLimit", 0, std::numeric_limits<std::int64_t>::max(), "must be an integer >= 1");
  if (!n) return n.status();
  if (!n.value() || *n.value() == 0) return kDefaultTurnLimit;
  return *n.value();
}

Result<FieldUpdate<std::string>> provider_update(const json::Value& params) {
  if (!has_param(params, "provider")) return FieldUpdate<std::string>();
  const json::Value* v = param(params, "provider");
  if (v == nullptr || !v->IsString() || !is_known_provider(std::string_view(v->GetString(), v->GetStringLength()))) {
    return invalid_param("provider", "must be one of openai, anthropic, azure, google, xai, openai-compatible, ollama");
  }
  return FieldUpdate<std::string>(std::string(v->GetString(), v->GetStringLength()));
}

Result<FieldUpdate<double>> temperature_update(const json::Value& params) {
  if (!has_param(params, "temperature")) return FieldUpdate<double>();
  const json::Value* v = param(params, "temperature");
  if (v == nullptr) return FieldUpdate<double>(std::optional<double>());
  if (!v->IsNumber() || v->GetDouble() < 0.0 || v->GetDouble() > 2.0) {
    return invalid_param("temperature", "must be a number between 0 and 2");
  }
  return FieldUpdate<double>(v->GetDouble());
}

Result<FieldUpdate<std::int64_t>> max_tokens_update(const json::Value& params) {
  if (!has_param(params, "maxTokens")) return FieldUpdate<std::int64_t>();
  auto n =
      optional_integer(params, "maxTokens", 1, std::numeric_limits<std::int64_t>::max(), "must be an integer >= 1");
  if (!n) return n.status();
  return FieldUpdate<std::int64_t>(n.value());
}

Result<FieldUpdate<std::string>> mcp_config_update(const json::Value& params) {
  if (!has_param(params, "mcpConfig")) return FieldUpdate<std::string>();
  const json::Value* v = param(params, "mcpConfig");
  if (v == nullptr) return FieldUpdate<std::string>(std::optional<std::string>());
  if (!v->IsString()) return invalid_param("mcpConfig", "must be a JSON object");
  std::string text(v->GetString(), v->GetStringLength());
  auto doc = json::parse_untrusted(text);
  if (!doc || !doc->IsObject()) return invalid_param("mcpConfig", "must be a JSON object");
  return FieldUpdate<std::string>(std::move(text));
}

}  // namespace aw::gateway
