// HttpServer: the listening side of aw-fake-llm. One thread runs one io_context: it accepts connections on
// host:port (port 0: the OS picks), serves them with the RequestHandler and stops on SIGINT or SIGTERM.
// Asio stays in the .cpp files of the server so that the handlers compile without it.
// Thread-safety: construct, listen() and run() on one thread; the handler is called on that thread only.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/log.h"
#include "common/status.h"
#include "tools/aw-fake-llm/http_message.h"
#include "tools/aw-fake-llm/http_request_parser.h"

namespace aw::fake_llm {

struct ServerSettings {
  std::string host = "127.0.0.1";  // a numeric address; loopback by default, as every endpoint of the project
  std::uint16_t port = 0;
  std::size_t max_body_bytes = kDefaultMaxBodyBytes;  // larger bodies are refused with 413
  std::chrono::milliseconds stall_limit{60000};       // see ConnectionSettings
};

class HttpServer {
 public:
  HttpServer(ServerSettings settings, RequestHandler handler, Logger log);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. Returns the bound port, or why it could not (bad address, port in use).
  Result<std::uint16_t> listen();

  // Serves until SIGINT or SIGTERM arrives, then returns; open connections are dropped with the io_context.
  // Requires: listen() succeeded.
  void run();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aw::fake_llm
