// CpprestStreamClient (see cpprest_stream_client.h). The only translation unit that includes cpprest: every
// exception it can throw stops here and becomes an HttpOutcome.
#include "processor/providers/cpprest_stream_client.h"

#include <atomic>
#include <exception>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <cpprest/containerstream.h>
#include <cpprest/http_client.h>

namespace aw::processor::providers {
namespace {

namespace http = web::http;

// Why a request was aborted; the first cause wins, so a cancel racing a timeout reports one of them consistently.
enum class AbortCause : int { None = 0, Cancelled, Timeout, Stopped };

// Shared with the cancel and timer callbacks, which may still run after post() returned (CancelToken only promises
// not to start them), so they own it jointly.
struct AbortState {
  pplx::cancellation_token_source source;
  std::atomic<int> cause{static_cast<int>(AbortCause::None)};

  void abort(AbortCause why) {
    int expected = static_cast<int>(AbortCause::None);
    if (cause.compare_exchange_strong(expected, static_cast<int>(why))) source.cancel();
  }
  AbortCause why() const { return static_cast<AbortCause>(cause.load()); }
};

HttpOutcome failure_outcome(const AbortState& state, bool head_received, const std::string& detail,
                            bool library_timed_out) {
  HttpOutcome out;
  out.head_received = head_received;
  out.detail = detail;
  switch (state.why()) {
    case AbortCause::Cancelled:
      out.failure = HttpFailure::Cancelled;
      break;
    case AbortCause::Timeout:
      out.failure = HttpFailure::Timeout;
      break;
    case AbortCause::Stopped:
      out.failure = HttpFailure::None;
      out.stopped_by_handler = true;
      break;
    case AbortCause::None:
      // cpprest's own per-read timeout equals the total budget, so when it fires first it is the same timeout.
      out.failure = library_timed_out ? HttpFailure::Timeout : HttpFailure::Connection;
      break;
  }
  return out;
}

HttpResponseHead to_head(const http::http_response& response) {
  HttpResponseHead head;
  head.status = response.status_code();
  head.reason_phrase = response.reason_phrase();
  for (const auto& [name, value] : response.headers()) head.headers.push_back({name, value});
  return head;
}

// Reads the body line by line: read_line is the one cpprest reader that hands over data as it arrives
// (getn waits for a full buffer, extract_string for the end). Returns false when the handler stopped.
// The line buffer holds unsigned char, the body's own character type: cpprest's std::string buffers are reached
// through a cast between streambuf<char> and streambuf<unsigned char>, which UBSan rightly reports.
bool read_body(const http::http_response& response, HttpStreamHandler& handler) {
  auto body = response.body();
  while (true) {
    concurrency::streams::container_buffer<std::vector<unsigned char>> line_buffer;
    body.read_line(line_buffer).get();
    std::vector<unsigned char>& bytes = line_buffer.collection();
    // read_line cannot say whether it stopped at a terminator or at the end; is_eof() tells the last line apart.
    // A line that really ended with '\n' right before the end is followed by one more, empty, read at EOF.
    const bool last = body.is_eof();
    if (!last) bytes.push_back('\n');
    const std::string_view line(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (!line.empty() && !handler.on_body(line)) return false;
    if (last) return true;
  }
}

}  // namespace

HttpOutcome CpprestStreamClient::post(const HttpRequest& request, HttpStreamHandler& handler,
                                      const CancelToken& cancel) {
  auto state = std::make_shared<AbortState>();
  CancelToken token = cancel;  // a copy shares the state; on_cancel is not const
  const std::uint64_t cancel_id = token.on_cancel([state] { state->abort(AbortCause::Cancelled); });
  const DeadlineWatchdog::Id timer_id =
      timers_.arm(DeadlineWatchdog::Clock::now() + request.timeout, [state] { state->abort(AbortCause::Timeout); });
  struct Cleanup {
    CancelToken& cancel;
    std::uint64_t cancel_id;
    DeadlineWatchdog& timers;
    DeadlineWatchdog::Id timer_id;
    ~Cleanup() {
      cancel.remove_callback(cancel_id);
      timers.disarm(timer_id);
    }
  } cleanup{token, cancel_id, timers_, timer_id};

  bool head_received = false;
  try {
    web::uri uri(request.url);
    http::client::http_client_config config;
    config.set_timeout(std::chrono::duration_cast<std::chrono::microseconds>(request.timeout));
    http::client::http_client client(uri.authority(), config);

    http::http_request message(http::methods::POST);
    message.set_request_uri(uri.resource());
    for (const auto& h : request.headers) message.headers().add(h.name, h.value);
    if (!request.body.empty()) {
      // Bytes, not set_body(std::string): that overload reaches the body through the same char/unsigned char cast.
      std::vector<unsigned char> bytes(request.body.begin(), request.body.end());
      const std::size_t length = bytes.size();
      message.set_body(concurrency::streams::bytestream::open_istream(std::move(bytes)), length, request.content_type);
    }

    // The token reaches every read of this request, so an abort interrupts connecting, waiting and streaming.
    http::http_response response = client.request(message, state->source.get_token()).get();
    head_received = true;
    HttpOutcome out;
    out.head_received = true;
    if (!handler.on_head(to_head(response)) || !read_body(response, handler)) {
      // Close the connection now rather than letting cpprest drain what the server still sends.
      state->abort(AbortCause::Stopped);
      out.stopped_by_handler = true;
      return out;
    }
    // An abort may also end the body stream quietly instead of throwing: what was read is then not the whole body.
    if (state->why() == AbortCause::Cancelled || state->why() == AbortCause::Timeout) {
      return failure_outcome(*state, true, "aborted", false);
    }
    return out;
  } catch (const http::http_exception& e) {
    bool timed_out = e.error_code() == std::errc::timed_out;
    return failure_outcome(*state, head_received, e.what(), timed_out);
  } catch (const pplx::task_canceled&) {
    return failure_outcome(*state, head_received, "task cancelled", false);
  } catch (const std::exception& e) {
    // Invalid URLs (web::uri_exception) and stream errors end up here.
    return failure_outcome(*state, head_received, e.what(), false);
  }
}

}  // namespace aw::processor::providers
