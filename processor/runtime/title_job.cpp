// Title jobs (see title_job.h).
#include "processor/runtime/title_job.h"

#include "processor/runtime/json_object_writer.h"

namespace aw::processor {
namespace {

// Far above the gateway's 20 lines of at most 500 characters; guards against a corrupt body.
constexpr std::size_t kMaxTitleLines = 1000;

Status bad(std::string_view field, std::string_view what) {
  return Status::invalid_request("title job: " + std::string(field) + " " + std::string(what));
}

Status read_string(const json::Value& body, std::string_view key, std::string& out) {
  auto v = json::get_string(body, key);
  if (!v || v->empty()) return bad(key, "must be a non-empty string");
  out = std::move(*v);
  return Status::ok();
}

Result<TitleJob> parse_body(const json::Value& body) {
  if (!body.IsObject()) return Status::invalid_request("title job: the body must be a JSON object");
  TitleJob job;
  Status s = read_string(body, "dispatchId", job.dispatch_id);
  if (s) s = read_string(body, "worldId", job.world_id);
  if (s) s = read_string(body, "chatId", job.chat_id);
  if (s) s = read_string(body, "provider", job.provider);
  if (s) s = read_string(body, "model", job.model);
  if (!s) return s;
  auto timeout = json::get_int(body, "timeoutMs");
  if (!timeout || *timeout < 1) return bad("timeoutMs", "must be a positive integer");
  job.timeout_ms = *timeout;
  const json::Value* lines = json::find(body, "lines");
  if (lines == nullptr || !lines->IsArray() || lines->Size() > kMaxTitleLines) {
    return bad("lines", "must be an array of at most 1000 strings");
  }
  for (const auto& line : lines->GetArray()) {
    if (!line.IsString()) return bad("lines", "must hold strings only");
    job.lines.emplace_back(line.GetString(), line.GetStringLength());
  }
  return job;
}

}  // namespace

Result<TitleJob> parse_title_job(std::string_view json_text) {
  auto doc = json::parse_untrusted(json_text);
  if (!doc) return Status::invalid_request("title job: " + doc.status().message());
  return title_job_from_json(*doc);
}

Result<TitleJob> title_job_from_json(const json::Value& body) {
  try {
    return parse_body(body);
  } catch (const std::exception& e) {
    return Status::invalid_request(std::string("title job: ") + e.what());
  }
}

LlmRequest title_request(const TitleJob& job) {
  std::string user(kTitleInstruction);
  user += "\n\n";
  for (std::size_t i = 0; i < job.lines.size(); ++i) {
    if (i > 0) user.push_back('\n');
    user += job.lines[i];
  }
  LlmRequest request;
  request.provider = job.provider;
  request.model = job.model;
  request.messages = {{"system", std::string(kTitleSystemPrompt)}, {"user", std::move(user)}};
  request.max_tokens = kTitleMaxTokens;
  request.stream = false;
  request.timeout = std::chrono::milliseconds(job.timeout_ms);
  return request;
}

TitleResult run_title_job(const TitleJob& job, LlmClient& llm, const CancelToken& cancel) {
  LlmResult llm_result = llm.complete(
      title_request(job), [](std::string_view) {}, cancel);
  TitleResult result;
  if (llm_result.ok) {
    result.title = std::move(llm_result.text);
  } else {
    result.error = llm_result.error_text.empty() ? "title request failed" : llm_result.error_text;
  }
  return result;
}

std::string title_result_to_json(const TitleJob& job, const TitleResult& result, std::string_view processor_id) {
  JsonObjectWriter w;
  w.integer("v", 1)
      .string("kind", "title-result")
      .string("processorId", processor_id)
      .string("dispatchId", job.dispatch_id)
      .string("worldId", job.world_id)
      .string("chatId", job.chat_id);
  if (result.title) {
    w.string("title", *result.title);
  } else {
    w.null("title");
  }
  if (!result.error.empty()) w.string("error", result.error);
  return w.finish();
}

}  // namespace aw::processor
