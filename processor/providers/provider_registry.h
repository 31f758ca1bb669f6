// The one registration point of LLM providers ("Providers are extensions", style.md): each provider folder
// (openai/, anthropic/, google/) offers registrations, and provider_registry.cpp lists them, one line each.
// Adding a provider is a new folder and a new line there.
// Thread-safety: the registration list is immutable; functions are safe from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "processor/providers/provider_client.h"
#include "processor/providers/provider_protocol.h"
#include "processor/providers/provider_settings.h"

namespace aw::processor::providers {

struct ProviderRegistration {
  std::string name;                    // the agent's `provider` value: "openai", "anthropic", ...
  std::vector<std::string> variables;  // the environment variables it reads (ProviderSettings::from_env)
  // Its protocol, configured from `variables`; nullptr when the provider is not configured there.
  std::function<std::unique_ptr<ProviderProtocol>(const ProviderVariables& variables)> make;
};

// Every known provider, in the order of agent-runtime.md §7.1.
const std::vector<ProviderRegistration>& provider_registrations();

// The protocols of the providers configured in `variables`.
ProtocolMap make_configured_protocols(const ProviderVariables& variables);

}  // namespace aw::processor::providers
