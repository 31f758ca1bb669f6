// ResponseReader (see response_reader.h).
#include "processor/providers/response_reader.h"

#include "processor/providers/http_error.h"

namespace aw::processor::providers {
namespace {

bool starts_with_ignore_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

AttemptResult failed(std::string text, bool retryable = false) {
  AttemptResult r;
  r.result.error_text = std::move(text);
  r.retryable = retryable;
  return r;
}

}  // namespace

ResponseReader::ResponseReader(const ProviderProtocol& protocol, std::string provider, bool streaming,
                               const std::function<void(std::string_view)>& on_delta)
    : protocol_(protocol), provider_(std::move(provider)), streaming_(streaming), on_delta_(on_delta) {}

bool ResponseReader::on_head(const HttpResponseHead& head) {
  head_ = head;
  if (head.status < 200 || head.status > 299) {
    mode_ = Mode::ErrorBody;
  } else if (streaming_ && !starts_with_ignore_case(head.header("content-type").value_or(""), "application/json")) {
    // Anything but JSON is read as an event stream: some servers label it text/plain or not at all.
    mode_ = Mode::EventStream;
    decoder_ = protocol_.new_stream_decoder(provider_);
  } else {
    // A non-streaming call, or an OpenAI-compatible server that ignored "stream": true and sent one JSON reply.
    mode_ = Mode::JsonBody;
  }
  return true;
}

bool ResponseReader::on_body(std::string_view bytes) {
  switch (mode_) {
    case Mode::EventStream:
      return on_stream_bytes(bytes);
    case Mode::JsonBody:
      if (body_.size() + bytes.size() > kMaxJsonBodyBytes) {
        body_too_large_ = true;
        return false;
      }
      body_.append(bytes);
      return true;
    case Mode::ErrorBody:
      // Only the start is needed for the message; stop reading there.
      body_.append(bytes.substr(0, kMaxErrorBodyBytes - body_.size()));
      return body_.size() < kMaxErrorBodyBytes;
    case Mode::AwaitingHead:
      break;
  }
  return false;
}

bool ResponseReader::on_stream_bytes(std::string_view bytes) {
  events_.clear();
  Status parsed = sse_.feed(bytes, events_);
  // Events completed before a parse failure are still valid and delivered in order.
  for (const SseEvent& event : events_) {
    if (decoder_->is_done()) return false;
    delta_.clear();
    Status s = decoder_->on_event(event, delta_);
    if (!s.is_ok()) {
      stream_error_ = std::move(s);
      return false;
    }
    if (!delta_.empty()) deliver(delta_);
  }
  if (!parsed.is_ok()) {
    stream_error_ = invalid_response(provider_, parsed.message());
    return false;
  }
  // After the end marker nothing more is needed; stopping also copes with servers that keep the connection open.
  return !decoder_->is_done();
}

void ResponseReader::deliver(std::string_view delta) {
  text_.append(delta);
  any_delta_ = true;
  on_delta_(delta);
}

AttemptResult ResponseReader::finish(const HttpOutcome& outcome, const CancelToken& cancel) {
  AttemptResult r;
  switch (outcome.failure) {
    case HttpFailure::Cancelled: {
      std::string reason = cancel.reason();
      r = failed(reason.empty() ? "Cancelled" : std::move(reason));
      break;
    }
    case HttpFailure::Timeout:
      r = failed("Request timed out.");
      break;
    case HttpFailure::Connection:
      // Also a stream cut mid-reply: retried only while no delta was delivered (the caller checks any_delta).
      r = failed("Connection error.", true);
      break;
    case HttpFailure::None:
      if (stream_error_) {
        r = failed(stream_error_->message());
      } else if (mode_ == Mode::EventStream) {
        r = finish_stream();
      } else if (mode_ == Mode::JsonBody) {
        r = finish_json_body();
      } else if (mode_ == Mode::ErrorBody) {
        r = failed(http_error_text(head_, body_), is_retryable_status(head_.status));
        r.retry_after = head_.header("retry-after");
      } else {
        r = failed("Connection error.", true);  // no response at all: not expected from a transport
      }
      break;
  }
  r.status = head_.status;
  r.result.any_delta = any_delta_;
  if (r.result.ok) return r;
  r.result.text = text_;  // partial text: the caller discards it, but it may want to log its size
  return r;
}

AttemptResult ResponseReader::finish_stream() {
  if (!decoder_->is_done()) {
    Status s = decoder_->on_end_of_body();
    if (!s.is_ok()) return failed(s.message());
    if (sse_.has_partial_event()) return failed(invalid_response(provider_, "stream ended mid-event").message());
  }
  AttemptResult r;
  r.result.ok = true;
  r.result.text = text_;
  r.result.usage = decoder_->usage();
  return r;
}

AttemptResult ResponseReader::finish_json_body() {
  if (body_too_large_) {
    return failed(
        invalid_response(provider_, "body larger than " + std::to_string(kMaxJsonBodyBytes) + " bytes").message());
  }
  auto completion = protocol_.parse_completion(provider_, body_);
  if (!completion.is_ok()) return failed(completion.status().message());
  if (!completion->text.empty()) deliver(completion->text);
  AttemptResult r;
  r.result.ok = true;
  r.result.text = text_;
  r.result.usage = completion->usage;
  return r;
}

}  // namespace aw::processor::providers
