// The format registry (see reply_format.h).
#include "tools/aw-fake-llm/reply_format.h"

#include "tools/aw-fake-llm/anthropic_format.h"
#include "tools/aw-fake-llm/gemini_format.h"
#include "tools/aw-fake-llm/openai_format.h"

namespace aw::fake_llm {

const ReplyFormat& reply_format(LlmFormat format) {
  static const OpenAiFormat openai;
  static const AnthropicFormat anthropic;
  static const GeminiFormat gemini;
  switch (format) {
    case LlmFormat::OpenAi:
      return openai;
    case LlmFormat::Anthropic:
      return anthropic;
    case LlmFormat::Gemini:
      return gemini;
  }
  return openai;
}

}  // namespace aw::fake_llm
