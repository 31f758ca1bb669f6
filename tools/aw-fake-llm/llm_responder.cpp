// LLM responses from reply plans (see llm_responder.h).
#include "tools/aw-fake-llm/llm_responder.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "common/ids.h"
#include "common/time_util.h"
#include "tools/aw-fake-llm/reply_format.h"

namespace aw::fake_llm {

namespace {

HttpResponse failure_response(const ReplyFormat& format, const RuleFailure& failure) {
  HttpResponse response;
  response.status = failure.status;
  response.headers.push_back({"Content-Type", failure.content_type});
  if (failure.retry_after) response.headers.push_back({"Retry-After", *failure.retry_after});
  response.body = failure.body ? *failure.body
                               : format.error_body(failure.status,
                                                   failure.message ? *failure.message : reason_phrase(failure.status));
  return response;
}

HttpResponse complete_response(const ReplyFormat& format, const ReplyContext& context, const ReplyPlan& plan) {
  HttpResponse response;
  if (plan.stall_after_chunks) {
    response.delivery = Delivery::HangWithoutAnswer;
    return response;
  }
  if (plan.cut_after_chunks) {
    response.delivery = Delivery::CloseWithoutAnswer;
    return response;
  }
  if (plan.stream_error) return HttpResponse::json(500, format.error_body(500, plan.stream_error->message));
  response = HttpResponse::json(200, plan.malformed ? *plan.malformed : format.complete_body(context, plan.text()));
  response.delay = plan.delay_per_chunk * static_cast<int>(plan.chunks.size());
  return response;
}

HttpResponse stream_response(const ReplyFormat& format, const ReplyContext& context, const ReplyPlan& plan) {
  HttpResponse response;
  response.delivery = Delivery::Chunked;
  response.headers.push_back({"Content-Type", format.stream_content_type()});
  response.headers.push_back({"Cache-Control", "no-cache"});
  for (auto& frame : format.stream_open(context)) response.pieces.push_back({std::chrono::milliseconds(0), frame});

  const std::size_t n = plan.chunks.size();
  const auto at = [n](const std::optional<std::size_t>& position, std::size_t i) {
    return position && std::min(*position, n) == i;
  };
  for (std::size_t i = 0; i <= n; ++i) {
    if (plan.malformed && std::min(plan.malformed_after_chunks, n) == i) {
      response.pieces.push_back({std::chrono::milliseconds(0), format.malformed_frame(*plan.malformed)});
    }
    if (plan.stream_error && std::min(plan.stream_error->after_chunks, n) == i) {
      response.pieces.push_back({std::chrono::milliseconds(0), format.stream_error(plan.stream_error->message)});
      return response;  // the stream ends cleanly after the error
    }
    if (at(plan.cut_after_chunks, i)) {
      response.stream_end = StreamEnd::Cut;
      return response;
    }
    if (at(plan.stall_after_chunks, i)) {
      response.stream_end = StreamEnd::Stall;
      return response;
    }
    if (i < n) {
      response.pieces.push_back({plan.delay_per_chunk, format.stream_chunk(context, plan.chunks[i], i + 1 == n)});
    }
  }
  for (auto& frame : format.stream_close(context, n > 0)) {
    response.pieces.push_back({std::chrono::milliseconds(0), frame});
  }
  return response;
}

}  // namespace

HttpResponse build_llm_response(const LlmCall& call, const ReplyPlan& plan) {
  const ReplyFormat& format = reply_format(call.format);
  if (plan.failure) return failure_response(format, *plan.failure);

  ReplyContext context;
  context.id = std::string(format.id_prefix()) + random_id(24);
  context.model = call.model;
  context.created_s = now_ms() / 1000;
  context.input_tokens = plan.input_tokens;
  context.output_tokens = plan.output_tokens;
  context.include_usage = call.include_usage;
  return call.stream ? stream_response(format, context, plan) : complete_response(format, context, plan);
}

}  // namespace aw::fake_llm
