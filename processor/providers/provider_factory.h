// The entry point of the LLM providers for the rest of the processor: one LlmClient for every provider,
// configured from ProviderSettings (agent-runtime.md §7, §13).
//
//   auto settings = ProviderSettings::from_env();        // at start-up; on failure print the message and exit
//   if (!settings.is_ok()) ...
//   std::unique_ptr<LlmClient> llm = make_provider_client(settings.value(), logger);
//   request.timeout = settings->request_timeout;         // agent responses; titles use the job's timeout
//   LlmResult r = llm->complete(request, on_delta, cancel_token);
//
// Thread-safety: the returned client may be used from several run threads at once and must outlive their calls.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/log.h"
#include "processor/llm/llm_client.h"
#include "processor/providers/provider_settings.h"

namespace aw::processor::providers {

// An LlmClient over cpprestsdk for every provider configured in `settings` (an unconfigured one fails its requests
// with "No configuration found for <provider> provider."), behind the AW_LLM_CONCURRENCY limiter.
std::unique_ptr<LlmClient> make_provider_client(const ProviderSettings& settings, Logger logger = {});

// The names of the providers configured in `settings`, in registration order (for the start-up log line).
std::vector<std::string> configured_provider_names(const ProviderSettings& settings);

}  // namespace aw::processor::providers
