// make_provider_client (see provider_factory.h).
#include "processor/providers/provider_factory.h"

#include "processor/providers/concurrency_limiter.h"
#include "processor/providers/cpprest_stream_client.h"
#include "processor/providers/provider_client.h"
#include "processor/providers/provider_registry.h"

namespace aw::processor::providers {

std::unique_ptr<LlmClient> make_provider_client(const ProviderSettings& settings, Logger logger) {
  // Process-wide and fixed at the first request: the first client made decides (the processor makes one).
  CpprestStreamClient::use_pool_threads(settings.http_threads);
  auto client = std::make_unique<ProviderClient>(make_configured_protocols(settings.variables),
                                                 std::make_shared<CpprestStreamClient>(settings.drain_grace),
                                                 settings.retry, std::move(logger));
  return std::make_unique<ConcurrencyLimitedClient>(std::move(client), settings.concurrency, settings.queue_max);
}

std::vector<std::string> configured_provider_names(const ProviderSettings& settings) {
  std::vector<std::string> names;
  for (const ProviderRegistration& r : provider_registrations()) {
    if (r.make(settings.variables) != nullptr) names.push_back(r.name);
  }
  return names;
}

}  // namespace aw::processor::providers
