// The provider list (see provider_registry.h).
#include "processor/providers/provider_registry.h"

#include "processor/providers/anthropic/anthropic_protocol.h"
#include "processor/providers/google/gemini_protocol.h"
#include "processor/providers/openai/openai_protocol.h"

namespace aw::processor::providers {

const std::vector<ProviderRegistration>& provider_registrations() {
  static const std::vector<ProviderRegistration> kRegistrations = {
      openai::openai_registration(), openai::azure_registration(),
      openai::xai_registration(),    openai::openai_compatible_registration(),
      openai::ollama_registration(), anthropic::anthropic_registration(),
      google::google_registration(),
  };
  return kRegistrations;
}

ProtocolMap make_configured_protocols(const ProviderVariables& variables) {
  ProtocolMap protocols;
  for (const ProviderRegistration& r : provider_registrations()) {
    if (auto protocol = r.make(variables)) protocols.emplace(r.name, std::move(protocol));
  }
  return protocols;
}

}  // namespace aw::processor::providers
