# shellcheck shell=bash
# Which LLM the processors will talk to. Sourced by deploy/docker-entrypoint.sh, deploy/awstack and
# deploy/run-local.sh; needs deploy/lib/http-probe.sh sourced first.
#
#   aw_llm_configured           succeeds when a provider is configured in the environment (docs/providers.md):
#                               OPENAI_API_KEY, AZURE_OPENAI_API_KEY, XAI_API_KEY, ANTHROPIC_API_KEY,
#                               GOOGLE_API_KEY or OPENAI_COMPATIBLE_BASE_URL non-empty
#   aw_ollama_reachable         succeeds when Ollama answers GET <OLLAMA_BASE_URL or http://localhost:11434/v1>/models
#   aw_use_fake_llm BASE_URL    exports the provider variables so that every provider (openai, azure excepted,
#                               xai, openai-compatible, ollama, anthropic, google) goes to aw-fake-llm at BASE_URL

aw_llm_configured() {
  local v
  for v in OPENAI_API_KEY AZURE_OPENAI_API_KEY XAI_API_KEY ANTHROPIC_API_KEY GOOGLE_API_KEY \
    OPENAI_COMPATIBLE_BASE_URL; do
    [ -n "${!v:-}" ] && return 0
  done
  return 1
}

aw_ollama_reachable() {
  local base="${OLLAMA_BASE_URL:-http://localhost:11434/v1}"
  base="${base%/}"
  [ "$(aw_http_status "$base/models" 1)" = "200" ]
}

aw_use_fake_llm() {
  local base="${1%/}"
  # The keys are placeholders: aw-fake-llm accepts any key (docs/fake-llm.md).
  export OPENAI_API_KEY="demo" AW_OPENAI_BASE_URL="$base/v1"
  export XAI_API_KEY="demo" AW_XAI_BASE_URL="$base/v1"
  export ANTHROPIC_API_KEY="demo" AW_ANTHROPIC_BASE_URL="$base"
  export GOOGLE_API_KEY="demo" AW_GOOGLE_BASE_URL="$base"
  export OPENAI_COMPATIBLE_BASE_URL="$base/v1" OLLAMA_BASE_URL="$base/v1"
}
