// CpprestStreamClient (see cpprest_stream_client.h). The only translation unit that includes cpprest: every
// exception it can throw stops here and becomes an HttpOutcome.
#include "processor/providers/cpprest_stream_client.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <cpprest/containerstream.h>
#include <cpprest/http_client.h>
#include <pplx/threadpool.h>

namespace aw::processor::providers {
namespace {

namespace http = web::http;

// Largest piece of body handed to the handler at once.
constexpr std::size_t kReadBytes = 16384;
// Kept-alive clients at most; one per endpoint and timeout in practice. Past it the cache starts again (requests in
// flight keep their client alive through their own reference).
constexpr std::size_t kMaxClients = 32;

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

// Reads the body as it arrives, in the pieces that arrived: read_line cost a pplx task, and so a hop through the
// thread pool, per character (about 440 futex calls per reply, most of the processor's CPU per message). getn
// with no more than in_avail() bytes completes at once; only when nothing is buffered does it wait, for one byte.
// The buffer holds unsigned char, the body's own character type (a std::string buffer is reached through a cast
// between streambuf<char> and streambuf<unsigned char>, which UBSan rightly reports).
bool read_body(const http::http_response& response, HttpStreamHandler& handler) {
  concurrency::streams::streambuf<unsigned char> body = response.body().streambuf();
  std::vector<unsigned char> bytes(kReadBytes);
  while (true) {
    const std::size_t want = std::clamp<std::size_t>(body.in_avail(), 1, bytes.size());
    const std::size_t got = body.getn(bytes.data(), want).get();
    if (got == 0) return true;  // the end of the body
    if (!handler.on_body(std::string_view(reinterpret_cast<const char*>(bytes.data()), got))) return false;
  }
}

// Reads the rest of a body whose handler stopped, for at most `grace`; true when the body ended cleanly, so that
// cpprest returns the connection to its pool. Never throws.
bool drain_body(const http::http_response& response, const std::shared_ptr<AbortState>& state, DeadlineWatchdog& timers,
                std::chrono::milliseconds grace) {
  if (grace.count() <= 0) return false;
  const DeadlineWatchdog::Id grace_id =
      timers.arm(DeadlineWatchdog::Clock::now() + grace, [state] { state->abort(AbortCause::Stopped); });
  bool ended = false;
  try {
    concurrency::streams::streambuf<unsigned char> body = response.body().streambuf();
    std::vector<unsigned char> bytes(kReadBytes);
    while (state->why() == AbortCause::None) {
      const std::size_t want = std::clamp<std::size_t>(body.in_avail(), 1, bytes.size());
      if (body.getn(bytes.data(), want).get() == 0) {
        ended = true;
        break;
      }
    }
  } catch (const std::exception&) {
    // Aborted or broken while draining: the connection is not reused, the reply was complete anyway.
  }
  timers.disarm(grace_id);
  return ended && state->why() == AbortCause::None;
}

}  // namespace

// One http_client per (authority, timeout): its connection pool keeps the TCP connection to the endpoint alive
// between requests. An http_client serves concurrent requests; an abort closes only its own request's connection.
struct CpprestStreamClient::Clients {
  using Key = std::pair<std::string, std::int64_t>;
  std::mutex mutex;  // guards by_key
  std::map<Key, std::shared_ptr<http::client::http_client>> by_key;

  std::shared_ptr<http::client::http_client> get(const web::uri& uri, std::chrono::milliseconds timeout) {
    Key key{uri.authority().to_string(), static_cast<std::int64_t>(timeout.count())};
    std::lock_guard<std::mutex> lock(mutex);
    auto it = by_key.find(key);
    if (it != by_key.end()) return it->second;
    if (by_key.size() >= kMaxClients) by_key.clear();
    http::client::http_client_config config;
    config.set_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeout));
    auto client = std::make_shared<http::client::http_client>(uri.authority(), config);
    by_key.emplace(std::move(key), client);
    return client;
  }
};

CpprestStreamClient::CpprestStreamClient(std::chrono::milliseconds drain_grace)
    : drain_grace_(drain_grace), clients_(std::make_unique<Clients>()) {}

CpprestStreamClient::~CpprestStreamClient() = default;

bool CpprestStreamClient::use_pool_threads(int threads) {
  static std::once_flag once;
  bool applied = false;
  std::call_once(once, [&] {
    try {
      crossplat::threadpool::initialize_with_threads(static_cast<std::size_t>(std::max(threads, 1)));
      applied = true;
    } catch (const std::exception&) {
      // The pool was already started (by an earlier request): it keeps its size.
    }
  });
  return applied;
}

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
    const std::shared_ptr<http::client::http_client> client = clients_->get(uri, request.timeout);

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
    http::http_response response = client->request(message, state->source.get_token()).get();
    head_received = true;
    HttpOutcome out;
    out.head_received = true;
    if (!handler.on_head(to_head(response))) {
      // Close the connection now rather than letting cpprest drain what the server still sends.
      state->abort(AbortCause::Stopped);
      out.stopped_by_handler = true;
      return out;
    }
    if (!read_body(response, handler)) {
      // Typically the stream's end marker, with the body's own end right behind it: read that, so that the
      // connection goes back to the pool; close it if the server sends on past the grace.
      if (!drain_body(response, state, timers_, drain_grace_)) state->abort(AbortCause::Stopped);
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
