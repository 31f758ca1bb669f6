// Routing and the LLM call pipeline of aw-fake-llm (see fake_llm_service.h).
#include "tools/aw-fake-llm/fake_llm_service.h"

#include <utility>

#include "common/time_util.h"
#include "tools/aw-fake-llm/llm_responder.h"

namespace aw::fake_llm {

namespace {

HttpResponse method_not_allowed(const char* allowed) {
  HttpResponse response = HttpResponse::error(405, std::string("method not allowed; use ") + allowed);
  response.headers.push_back({"Allow", allowed});
  return response;
}

}  // namespace

FakeLlmService::FakeLlmService(Script script, ServiceSettings settings, Logger log)
    : settings_(std::move(settings)),
      log_(std::move(log)),
      rules_(std::move(script)),
      requests_(settings_.max_logged_requests) {}

HttpResponse FakeLlmService::handle(const HttpRequest& request) {
  const std::string& path = request.path;
  const std::string& method = request.method;
  if (path == "/health") {
    if (method != "GET" && method != "HEAD") return method_not_allowed("GET");
    return HttpResponse::json(200, "{\"status\":\"ok\"}");
  }
  if (path == "/requests") {
    if (method != "GET") return method_not_allowed("GET");
    return HttpResponse::json(200, requests_.to_json());
  }
  if (path == "/reset") {
    if (method != "POST") return method_not_allowed("POST");
    requests_.clear();
    rules_.reset_counters();
    log_.info("reset");
    return HttpResponse::json(200, "{\"ok\":true}");
  }
  if (path == "/script") {
    if (method != "POST") return method_not_allowed("POST");
    Result<Script> script = parse_script(request.body);
    if (!script) return HttpResponse::error(400, script.status().message());
    const std::size_t count = script->rules.size();
    rules_.replace(std::move(script).value());
    log_.info("script replaced", {{"rules", static_cast<std::uint64_t>(count)}});
    return HttpResponse::json(200, "{\"ok\":true,\"rules\":" + std::to_string(count) + "}");
  }

  const std::optional<LlmEndpoint> endpoint = classify_llm_path(path);
  if (!endpoint) {
    requests_.record(request, now_ms(), "", std::nullopt);
    return HttpResponse::error(404, "aw-fake-llm: no endpoint at " + path);
  }
  if (method != "POST") {
    requests_.record(request, now_ms(), format_name(endpoint->format), std::nullopt);
    return method_not_allowed("POST");
  }
  return handle_llm(request, *endpoint);
}

HttpResponse FakeLlmService::handle_llm(const HttpRequest& request, const LlmEndpoint& endpoint) {
  const EpochMs received = now_ms();
  Result<LlmCall> call = read_llm_call(endpoint, request);
  if (!call) {
    requests_.record(request, received, format_name(endpoint.format), std::nullopt);
    return HttpResponse::error(400, call.status().message());
  }
  const std::optional<std::size_t> selected =
      rules_.select(RequestFacts{call->last_user_text, call->model, request.path});
  requests_.record(request, received, format_name(endpoint.format), selected);
  const Rule* rule = selected ? &rules_.rule(*selected) : nullptr;
  const ReplyPlan plan = plan_reply(rule, rules_.default_reply(), settings_.defaults, call.value());
  log_.debug("llm call", {{"format", format_name(call->format)},
                          {"stream", call->stream},
                          {"rule", selected ? static_cast<std::int64_t>(*selected) : std::int64_t{-1}},
                          {"chunks", static_cast<std::uint64_t>(plan.chunks.size())}});
  return build_llm_response(call.value(), plan);
}

}  // namespace aw::fake_llm
