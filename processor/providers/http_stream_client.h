// HttpStreamClient: our own small HTTP interface for streaming LLM replies (agent-runtime.md §7), so that the
// providers never see the HTTP library. One POST, its status and headers, then the body as it arrives.
// cpprestsdk's upstream is archived; CpprestStreamClient is the only implementation and the only code that knows
// about cpprest, so replacing it touches no provider.
// Thread-safety: implementations are safe to call from several threads at once; one call blocks its caller.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "processor/llm/llm_client.h"

namespace aw::processor::providers {

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpRequest {
  std::string url;  // absolute http:// or https:// URL, query included
  std::vector<HttpHeader> headers;
  std::string content_type = "application/json";
  std::string body;
  // Total budget from send to the end of the body (AW_LLM_TIMEOUT_MS), not an inactivity timeout: a server that
  // stalls or trickles is cut when it runs out.
  std::chrono::milliseconds timeout{120000};

  // The value of a request header (ASCII case-insensitive name); nullopt when absent.
  std::optional<std::string> header(std::string_view name) const;
};

struct HttpResponseHead {
  int status = 0;
  std::string reason_phrase;  // as the server sent it; may be empty
  std::vector<HttpHeader> headers;

  // The value of a response header (ASCII case-insensitive name); nullopt when absent.
  std::optional<std::string> header(std::string_view name) const;
};

// How a request ended, from the transport's point of view. HTTP error statuses are not failures here: they arrive
// through on_head like any other response.
enum class HttpFailure {
  None,        // the body was read to its end, or the handler stopped reading
  Connection,  // could not connect, or the connection broke (also mid-body)
  Timeout,     // the request's total timeout expired
  Cancelled,   // the CancelToken fired; the caller reports the token's reason
};

struct HttpOutcome {
  HttpFailure failure = HttpFailure::None;
  bool head_received = false;       // on_head was called
  bool stopped_by_handler = false;  // a handler callback returned false
  std::string detail;               // the library's words for a failure, for logs only (never shown to clients)
};

// Receives one response. Both callbacks run on the thread that called post().
class HttpStreamHandler {
 public:
  virtual ~HttpStreamHandler() = default;
  // Status and headers arrived. Return false to stop: the connection is closed and the body is not read.
  virtual bool on_head(const HttpResponseHead& head) = 0;
  // The next body bytes, as soon as they arrive. Boundaries are arbitrary (the cpprest implementation delivers what
  // has arrived, up to 16 KiB at a time). The view is valid for the call only. Return false to stop reading: the
  // connection is closed, unless the body ends within AW_LLM_DRAIN_MS, when it is kept for the next request.
  virtual bool on_body(std::string_view bytes) = 0;
};

class HttpStreamClient {
 public:
  virtual ~HttpStreamClient() = default;
  // POSTs the request and blocks until the body ended, the handler stopped, the timeout expired, the token was
  // cancelled or the connection failed. A cancel or timeout closes the connection within milliseconds, also while
  // connecting or waiting for headers. Never throws.
  virtual HttpOutcome post(const HttpRequest& request, HttpStreamHandler& handler, const CancelToken& cancel) = 0;
};

}  // namespace aw::processor::providers
