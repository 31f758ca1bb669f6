// CpprestStreamClient: HttpStreamClient over cpprestsdk 2.10 (dependencies.md "cpprestsdk"). The header stays free
// of cpprest; cpprest_stream_client.cpp is the only translation unit that includes it.
// How the pitfalls are handled: the body is read with read_line (the only incremental reader); cpprest's timeout is
// per read, so each request's total timeout is a DeadlineWatchdog deadline that aborts it through a
// cancellation_token_source, as the CancelToken does. Each request gets its own http_client (and connection), so
// an abort closes only that request's socket.
// Thread-safety: post() may be called from several threads at once.
#pragma once

#include <memory>

#include "common/deadline_watchdog.h"
#include "processor/providers/http_stream_client.h"

namespace aw::processor::providers {

class CpprestStreamClient : public HttpStreamClient {
 public:
  CpprestStreamClient() = default;
  CpprestStreamClient(const CpprestStreamClient&) = delete;
  CpprestStreamClient& operator=(const CpprestStreamClient&) = delete;

  // HttpStreamClient
  HttpOutcome post(const HttpRequest& request, HttpStreamHandler& handler, const CancelToken& cancel) override;

 private:
  DeadlineWatchdog timers_;
};

}  // namespace aw::processor::providers
