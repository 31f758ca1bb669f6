// The aw-fake-llm test fixture (see fake_llm_fixture.h).
#include "tests/integration/processor/fake_llm_fixture.h"

#include <boost/test/unit_test.hpp>

namespace aw::test {

FakeLlmFixture::~FakeLlmFixture() {
  if (!fake_) return;
  const Result<int> status = fake_->stop();
  BOOST_CHECK_MESSAGE(status.is_ok() && status.value() == 0,
                      "aw-fake-llm did not exit with status 0 on SIGTERM; stderr: " << fake_->stderr_text());
}

void FakeLlmFixture::start(std::string script_json, std::vector<std::string> extra_args, std::string log_level) {
  FakeLlmOptions options;
  options.log_level = std::move(log_level);
  options.script_json = std::move(script_json);
  options.extra_args = std::move(extra_args);
  Result<std::unique_ptr<FakeLlmProcess>> started = FakeLlmProcess::start(std::move(options));
  BOOST_REQUIRE_MESSAGE(started.is_ok(), "aw-fake-llm did not start: " << started.status().message());
  fake_ = std::move(started).value();
}

RawHttpResponse FakeLlmFixture::post(std::string_view target, std::string_view body, const Headers& headers,
                                     std::chrono::milliseconds timeout) {
  Headers all{{"Content-Type", "application/json"}};
  all.insert(all.end(), headers.begin(), headers.end());
  return http_exchange(port(), "POST", target, body, all, timeout);
}

RawHttpResponse FakeLlmFixture::get(std::string_view target) { return http_exchange(port(), "GET", target); }

json::Document FakeLlmFixture::logged_requests() {
  const RawHttpResponse response = get("/requests");
  BOOST_REQUIRE_EQUAL(response.status, 200);
  json::Document doc = parse_json(response.body);
  BOOST_REQUIRE(doc.IsArray());
  return doc;
}

std::string openai_body(std::string_view text, bool stream, bool include_usage, std::string_view model) {
  std::string body = "{\"model\":";
  json::append_quoted(body, model);
  body += ",\"stream\":";
  body += stream ? "true" : "false";
  if (include_usage) body += ",\"stream_options\":{\"include_usage\":true}";
  body += ",\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":";
  json::append_quoted(body, text);
  body += "}]}";
  return body;
}

std::string anthropic_body(std::string_view text, bool stream, std::string_view model) {
  std::string body = "{\"model\":";
  json::append_quoted(body, model);
  body += ",\"max_tokens\":4096,\"system\":\"You are terse.\"";
  if (stream) body += ",\"stream\":true";
  body += ",\"messages\":[{\"role\":\"user\",\"content\":";
  json::append_quoted(body, text);
  body += "}]}";
  return body;
}

std::string gemini_body(std::string_view text) {
  std::string body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":";
  json::append_quoted(body, text);
  body += "}]}],\"systemInstruction\":{\"parts\":[{\"text\":\"You are terse.\"}]}}";
  return body;
}

json::Document parse_json(std::string_view text) {
  Result<json::Document> parsed = json::parse_untrusted(text, 512);
  BOOST_REQUIRE_MESSAGE(parsed.is_ok(), "not JSON: " << text);
  return std::move(parsed).value();
}

std::vector<std::string> openai_deltas(const std::vector<SseEvent>& events) {
  std::vector<std::string> deltas;
  for (const auto& e : events) {
    if (e.data == "[DONE]") continue;
    const json::Document doc = parse_json(e.data);
    const json::Value* choices = json::find(doc, "choices");
    if (choices == nullptr || !choices->IsArray() || choices->Empty()) continue;
    const json::Value* delta = json::find((*choices)[0], "delta");
    if (delta == nullptr) continue;
    if (auto content = json::get_string(*delta, "content")) deltas.push_back(*content);
  }
  return deltas;
}

std::vector<std::string> anthropic_deltas(const std::vector<SseEvent>& events) {
  std::vector<std::string> deltas;
  for (const auto& e : events) {
    if (e.event != "content_block_delta") continue;
    const json::Document doc = parse_json(e.data);
    const json::Value* delta = json::find(doc, "delta");
    BOOST_REQUIRE(delta != nullptr);
    BOOST_CHECK_EQUAL(json::get_string(*delta, "type").value_or(""), "text_delta");
    deltas.push_back(json::get_string(*delta, "text").value_or(""));
  }
  return deltas;
}

std::vector<std::string> gemini_deltas(const std::vector<SseEvent>& events) {
  std::vector<std::string> deltas;
  for (const auto& e : events) {
    const json::Document doc = parse_json(e.data);
    const json::Value* candidates = json::find(doc, "candidates");
    if (candidates == nullptr || !candidates->IsArray() || candidates->Empty()) continue;
    const json::Value* content = json::find((*candidates)[0], "content");
    if (content == nullptr) continue;
    const json::Value* parts = json::find(*content, "parts");
    if (parts == nullptr || !parts->IsArray()) continue;
    for (const auto& part : parts->GetArray()) deltas.push_back(json::get_string(part, "text").value_or(""));
  }
  return deltas;
}

std::string join(const std::vector<std::string>& pieces) {
  std::string joined;
  for (const auto& p : pieces) joined += p;
  return joined;
}

const json::Value* json_at(const json::Value& root, std::string_view path) {
  const json::Value* node = &root;
  while (!path.empty() && node != nullptr) {
    const std::size_t slash = path.find('/');
    const std::string_view key = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (node->IsArray()) {
      const std::size_t index = std::stoul(std::string(key));
      node = index < node->Size() ? &(*node)[static_cast<rapidjson::SizeType>(index)] : nullptr;
    } else if (node->IsObject()) {
      // A std::string, not the view: common/json.cpp's find() currently reads the key up to a NUL, so a key that
      // is a slice of a longer path would not be found.
      node = json::find(*node, std::string(key));
    } else {
      node = nullptr;
    }
  }
  return node;
}

std::string string_at(const json::Value& root, std::string_view path) {
  const json::Value* v = json_at(root, path);
  return v != nullptr && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : "<absent>";
}

std::int64_t int_at(const json::Value& root, std::string_view path) {
  const json::Value* v = json_at(root, path);
  return v != nullptr && v->IsInt64() ? v->GetInt64() : -1;
}

}  // namespace aw::test
