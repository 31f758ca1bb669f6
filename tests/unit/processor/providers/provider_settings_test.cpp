// Tests of ProviderSettings::from_env and the provider registry: defaults, ranges, URL checks, which providers
// count as configured.
#include "processor/providers/provider_settings.h"

#include <boost/test/unit_test.hpp>
#include <cstdlib>

#include "processor/providers/provider_factory.h"
#include "processor/providers/provider_registry.h"

namespace aw::processor::providers {
namespace {

// Sets variables for one case and restores the previous values (unit tests run on one thread).
class ScopedEnv {
 public:
  ScopedEnv(std::initializer_list<std::pair<const char*, const char*>> values) {
    for (auto [name, value] : values) {
      const char* old = std::getenv(name);
      saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
      if (value) {
        setenv(name, value, 1);
      } else {
        unsetenv(name);
      }
    }
  }
  ~ScopedEnv() {
    for (auto& [name, value] : saved_) {
      if (value) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// Every variable from_env reads, cleared, so the machine's environment cannot leak into a case.
ScopedEnv clean_env() {
  return ScopedEnv({{"AW_LLM_TIMEOUT_MS", nullptr},
                    {"AW_LLM_MAX_RETRIES", nullptr},
                    {"AW_LLM_RETRY_BASE_MS", nullptr},
                    {"AW_LLM_CONCURRENCY", nullptr},
                    {"AW_LLM_QUEUE_MAX", nullptr},
                    {"AW_LLM_DRAIN_MS", nullptr},
                    {"AW_HTTP_THREADS", nullptr},
                    {"OPENAI_API_KEY", nullptr},
                    {"AW_OPENAI_BASE_URL", nullptr},
                    {"OPENAI_BASE_URL", nullptr},
                    {"AZURE_OPENAI_API_KEY", nullptr},
                    {"AZURE_RESOURCE_NAME", nullptr},
                    {"AZURE_DEPLOYMENT", nullptr},
                    {"AZURE_API_VERSION", nullptr},
                    {"XAI_API_KEY", nullptr},
                    {"AW_XAI_BASE_URL", nullptr},
                    {"OPENAI_COMPATIBLE_API_KEY", nullptr},
                    {"OPENAI_COMPATIBLE_BASE_URL", nullptr},
                    {"OLLAMA_BASE_URL", nullptr},
                    {"ANTHROPIC_API_KEY", nullptr},
                    {"AW_ANTHROPIC_BASE_URL", nullptr},
                    {"GOOGLE_API_KEY", nullptr},
                    {"AW_GOOGLE_BASE_URL", nullptr}});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(provider_settings)

BOOST_AUTO_TEST_CASE(defaults_of_section_13) {
  ScopedEnv env = clean_env();
  auto s = ProviderSettings::from_env();
  BOOST_REQUIRE(s.is_ok());
  BOOST_TEST(s->request_timeout.count() == 120000);
  BOOST_TEST(s->retry.max_retries == 2);
  BOOST_TEST(s->retry.base_delay.count() == 1000);
  BOOST_TEST(s->concurrency == 4);
  BOOST_TEST(s->queue_max == 100);
  BOOST_TEST(s->drain_grace.count() == 50);
  BOOST_TEST(s->http_threads == 2);
  BOOST_TEST(s->variables.empty());
  // Only ollama needs no configuration.
  BOOST_TEST(configured_provider_names(s.value()) == std::vector<std::string>({"ollama"}));
}

BOOST_AUTO_TEST_CASE(reads_limits_and_provider_variables) {
  ScopedEnv env = clean_env();
  ScopedEnv set({{"AW_LLM_TIMEOUT_MS", "1500"},
                 {"AW_LLM_MAX_RETRIES", "0"},
                 {"AW_LLM_RETRY_BASE_MS", "10"},
                 {"AW_LLM_CONCURRENCY", "2"},
                 {"AW_LLM_QUEUE_MAX", "0"},
                 {"AW_LLM_DRAIN_MS", "0"},
                 {"AW_HTTP_THREADS", "8"},
                 {"OPENAI_API_KEY", "sk"},
                 {"AW_GOOGLE_BASE_URL", "http://127.0.0.1:1"},
                 {"GOOGLE_API_KEY", "g"},
                 {"UNRELATED_VAR", "x"}});
  auto s = ProviderSettings::from_env();
  BOOST_REQUIRE(s.is_ok());
  BOOST_TEST(s->request_timeout.count() == 1500);
  BOOST_TEST(s->retry.max_retries == 0);
  BOOST_TEST(s->retry.base_delay.count() == 10);
  BOOST_TEST(s->concurrency == 2);
  BOOST_TEST(s->queue_max == 0);
  BOOST_TEST(s->drain_grace.count() == 0);
  BOOST_TEST(s->http_threads == 8);
  BOOST_TEST(s->variable("OPENAI_API_KEY").value() == "sk");
  BOOST_TEST(!s->variable("UNRELATED_VAR").has_value());
  BOOST_TEST(configured_provider_names(s.value()) == std::vector<std::string>({"openai", "ollama", "google"}));
}

BOOST_AUTO_TEST_CASE(bad_values_fail_naming_the_variable) {
  ScopedEnv env = clean_env();
  {
    ScopedEnv bad({{"AW_LLM_CONCURRENCY", "0"}});
    auto s = ProviderSettings::from_env();
    BOOST_TEST(!s.is_ok());
    BOOST_TEST(s.status().message().find("AW_LLM_CONCURRENCY") != std::string::npos);
  }
  {
    ScopedEnv bad({{"AW_HTTP_THREADS", "0"}});
    auto s = ProviderSettings::from_env();
    BOOST_TEST(!s.is_ok());
    BOOST_TEST(s.status().message().find("AW_HTTP_THREADS") != std::string::npos);
  }
  {
    ScopedEnv bad({{"AW_LLM_DRAIN_MS", "-1"}});
    auto s = ProviderSettings::from_env();
    BOOST_TEST(!s.is_ok());
    BOOST_TEST(s.status().message().find("AW_LLM_DRAIN_MS") != std::string::npos);
  }
  {
    ScopedEnv bad({{"AW_LLM_TIMEOUT_MS", "soon"}});
    BOOST_TEST(!ProviderSettings::from_env().is_ok());
  }
  {
    ScopedEnv bad({{"AW_ANTHROPIC_BASE_URL", "api.anthropic.com"}});
    auto s = ProviderSettings::from_env();
    BOOST_TEST(!s.is_ok());
    BOOST_TEST(s.status().message() ==
               "AW_ANTHROPIC_BASE_URL must be an http:// or https:// URL, got 'api.anthropic.com'");
  }
}

BOOST_AUTO_TEST_CASE(registry_lists_the_seven_providers_once) {
  std::vector<std::string> names;
  for (const auto& r : provider_registrations()) names.push_back(r.name);
  BOOST_TEST(names == std::vector<std::string>(
                          {"openai", "azure", "xai", "openai-compatible", "ollama", "anthropic", "google"}));
}

BOOST_AUTO_TEST_CASE(trailing_slashes_are_ignored) {
  BOOST_TEST(trim_base_url("http://h/v1///") == "http://h/v1");
  BOOST_TEST(trim_base_url("http://h/v1") == "http://h/v1");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::providers
