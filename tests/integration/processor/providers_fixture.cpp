// The provider integration fixture (see providers_fixture.h).
#include "tests/integration/processor/providers_fixture.h"

#include <boost/test/unit_test.hpp>

#include "processor/providers/provider_factory.h"

namespace aw::test {

void DeltaSignal::notify() {
  std::lock_guard<std::mutex> lock(mutex_);
  seen_ = true;
  cv_.notify_all();
}

bool DeltaSignal::wait(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return seen_; });
}

processor::providers::ProviderSettings ProvidersFixture::settings_for_fake() const {
  const std::string base = "http://127.0.0.1:" + std::to_string(port());
  processor::providers::ProviderSettings settings;
  settings.retry.max_retries = 2;
  settings.retry.base_delay = std::chrono::milliseconds(10);
  settings.variables = {
      {"OPENAI_API_KEY", "sk-fake"},
      {"AW_OPENAI_BASE_URL", base + "/v1/"},
      {"XAI_API_KEY", "xai-fake"},
      {"AW_XAI_BASE_URL", base + "/v1"},
      {"OPENAI_COMPATIBLE_BASE_URL", base + "/v1"},
      {"OLLAMA_BASE_URL", base + "/v1"},
      {"ANTHROPIC_API_KEY", "ant-fake"},
      {"AW_ANTHROPIC_BASE_URL", base},
      {"GOOGLE_API_KEY", "g-fake"},
      {"AW_GOOGLE_BASE_URL", base},
  };
  return settings;
}

void ProvidersFixture::make_client(const processor::providers::ProviderSettings& settings) {
  client_ = processor::providers::make_provider_client(settings);
}

ProviderCall ProvidersFixture::call(const std::string& provider, const std::string& text, bool stream,
                                    std::chrono::milliseconds timeout, const processor::CancelToken& cancel,
                                    DeltaSignal* first_delta, const std::string& model) {
  BOOST_REQUIRE(client_ != nullptr);
  processor::LlmRequest request;
  request.provider = provider;
  request.model = model;
  request.messages = {{"system", "You are terse."}, {"user", text}};
  request.stream = stream;
  request.timeout = timeout;
  ProviderCall out;
  out.started = std::chrono::steady_clock::now();
  out.result = client_->complete(
      request,
      [&](std::string_view delta) {
        out.deltas.emplace_back(delta);
        out.delta_times.push_back(std::chrono::steady_clock::now());
        if (first_delta != nullptr) first_delta->notify();
      },
      cancel);
  out.finished = std::chrono::steady_clock::now();
  return out;
}

}  // namespace aw::test
