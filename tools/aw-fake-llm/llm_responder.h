// Building the HTTP response of an LLM call from its ReplyPlan and the family's ReplyFormat: an HTTP failure, a
// non-streaming body, or a server-sent-event stream with the plan's faults placed by chunk position.
// Positions count text chunks sent: "after 0" is right after the opening frames, "after N" (N >= the number of
// chunks) is after the last chunk, before the closing frames. At one position the order is: malformed line,
// in-stream error (ends the stream), cut, stall.
// Thread-safety: free function.
#pragma once

#include "tools/aw-fake-llm/http_message.h"
#include "tools/aw-fake-llm/llm_call.h"
#include "tools/aw-fake-llm/reply_plan.h"

namespace aw::fake_llm {

// The response to `call` as `plan` describes it. For a non-streaming call: stall -> no answer until the client
// leaves, cut -> connection closed without an answer, stream error -> HTTP 500 with the provider's error body,
// malformed -> 200 with the malformed text as body; otherwise the whole answer after the chunks' total delay.
HttpResponse build_llm_response(const LlmCall& call, const ReplyPlan& plan);

}  // namespace aw::fake_llm
