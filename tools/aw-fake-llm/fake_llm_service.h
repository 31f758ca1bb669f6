// FakeLlmService: the request handler of aw-fake-llm. Routes the control endpoints (GET /health, GET /requests,
// POST /reset, POST /script) and the LLM endpoints (…/chat/completions, …/v1/messages,
// …/models/<m>:streamGenerateContent and :generateContent, under any base path); for an LLM call it records the
// request, selects the rule, plans the reply and builds the response. Anything else is recorded and gets 404.
// Thread-safety: loop thread only (the server calls handle() on its one thread).
#pragma once

#include <cstddef>

#include "common/log.h"
#include "tools/aw-fake-llm/http_message.h"
#include "tools/aw-fake-llm/llm_call.h"
#include "tools/aw-fake-llm/reply_plan.h"
#include "tools/aw-fake-llm/request_log.h"
#include "tools/aw-fake-llm/rule_engine.h"
#include "tools/aw-fake-llm/script.h"

namespace aw::fake_llm {

struct ServiceSettings {
  ReplyDefaults defaults;
  // Requests kept for GET /requests; tests make a few dozen, a demo left running should not grow forever.
  std::size_t max_logged_requests = 10000;
};

class FakeLlmService {
 public:
  FakeLlmService(Script script, ServiceSettings settings, Logger log);
  FakeLlmService(const FakeLlmService&) = delete;
  FakeLlmService& operator=(const FakeLlmService&) = delete;

  // The response to `request`. Never throws for bad input: malformed bodies get 400.
  HttpResponse handle(const HttpRequest& request);

 private:
  HttpResponse handle_llm(const HttpRequest& request, const LlmEndpoint& endpoint);

  const ServiceSettings settings_;
  const Logger log_;
  RuleEngine rules_;
  RequestLog requests_;
};

}  // namespace aw::fake_llm
