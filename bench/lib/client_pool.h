// ClientPool: many WebSocket client connections to one URI, spread over worker threads.
// Each worker owns one io_context, one websocketpp client endpoint (the lock-free single-thread config of
// ws_configs.h) and the connections assigned to it (connection id % thread count): nothing is shared between
// workers, so the hot path takes no lock. websocketpp stays inside client_pool.cpp.
// Thread-safety: the constructor, connect(), close_all() and the destructor are for the owning thread (main).
// Handlers run on the worker thread that owns the connection; send() and post() may be called only there,
// that is from inside a handler or a posted task of that connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace aw::bench {

using ConnId = std::size_t;

struct ClientPoolHandlers {
  // The WebSocket handshake of id completed.
  std::function<void(ConnId id)> on_open;
  // Connecting id failed (refused, handshake error, timeout). Not called for a connection that had opened.
  std::function<void(ConnId id, const std::string& reason)> on_fail;
  // A text or binary frame arrived on id. The view is valid only during the call.
  std::function<void(ConnId id, std::string_view payload)> on_message;
  // An open connection ended (either side closed, or the socket failed).
  std::function<void(ConnId id)> on_close;
};

class ClientPool {
 public:
  // Starts thread_count worker threads (at least 1) with idle io_contexts. uri is ws://host:port/path.
  ClientPool(std::string uri, std::size_t thread_count, ClientPoolHandlers handlers);
  // Stops the workers and joins them; connections still open are dropped without a close handshake.
  ~ClientPool();
  ClientPool(const ClientPool&) = delete;
  ClientPool& operator=(const ClientPool&) = delete;

  // Starts connecting ids [0, count), all at once, each on its worker. Returns at once; every id ends in exactly
  // one on_open or on_fail. Requires: called once.
  void connect(std::size_t count);

  // Sends a text frame on id. False when id is not open or websocketpp refused the send.
  // Requires: on id's worker thread.
  bool send(ConnId id, std::string_view text);

  // Runs task on id's worker thread. Safe from any thread.
  void post(ConnId id, std::function<void()> task);

  // Closes every open connection with code 1000 and waits up to timeout for the close handshakes to finish.
  // Returns how many connections were still open when the wait ended.
  std::size_t close_all(std::chrono::milliseconds timeout);

  std::size_t thread_count() const;

 private:
  class Worker;
  struct OpenCounter;
  Worker& worker_of(ConnId id) { return *workers_[id % workers_.size()]; }

  const std::string uri_;
  const ClientPoolHandlers handlers_;     // read by the workers; fixed at construction
  std::unique_ptr<OpenCounter> counter_;  // open connections, for close_all()
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace aw::bench
