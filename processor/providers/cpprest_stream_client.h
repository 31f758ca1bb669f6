// CpprestStreamClient: HttpStreamClient over cpprestsdk 2.10 (dependencies.md "cpprestsdk"). The header stays free
// of cpprest; cpprest_stream_client.cpp is the only translation unit that includes it.
// How the pitfalls are handled: the body is read with getn of what is already buffered (read_line, the reader the
// notes recommend, cost a thread-pool hop per character); cpprest's timeout is per read, so each request's total
// timeout is a DeadlineWatchdog deadline that aborts it through a cancellation_token_source, as the CancelToken does.
// Requests to one endpoint share an http_client, whose pool keeps the connection alive between requests (a new client
// per request cost a TCP connect, a resolver lookup and a close per LLM call); an abort closes only its own request's
// connection. Thread-safety: post() may be called from several threads at once; use_pool_threads() too.
#pragma once

#include <chrono>
#include <memory>

#include "common/deadline_watchdog.h"
#include "processor/providers/http_stream_client.h"

namespace aw::processor::providers {

class CpprestStreamClient : public HttpStreamClient {
 public:
  // `drain_grace` (AW_LLM_DRAIN_MS): how long a request whose handler stopped early (at the stream's end marker)
  // may read on to the body's end so that its connection is kept; past it, or at 0, the connection is closed.
  explicit CpprestStreamClient(std::chrono::milliseconds drain_grace = std::chrono::milliseconds(50));
  ~CpprestStreamClient() override;
  CpprestStreamClient(const CpprestStreamClient&) = delete;
  CpprestStreamClient& operator=(const CpprestStreamClient&) = delete;

  // HttpStreamClient
  HttpOutcome post(const HttpRequest& request, HttpStreamHandler& handler, const CancelToken& cancel) override;

  // Sizes cpprest's process-wide thread pool (AW_HTTP_THREADS), which runs every socket operation and every pplx
  // continuation; its default of 40 threads made each completion wake another thread. Only the first call in the
  // process counts, and only before any request started the pool; returns whether this call set the size.
  static bool use_pool_threads(int threads);

 private:
  struct Clients;

  const std::chrono::milliseconds drain_grace_;
  std::unique_ptr<Clients> clients_;
  DeadlineWatchdog timers_;
};

}  // namespace aw::processor::providers
