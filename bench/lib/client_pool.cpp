// ClientPool on websocketpp (see client_pool.h). One websocketpp client endpoint per worker thread.
#include "bench/lib/client_pool.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <asio/post.hpp>
#include <websocketpp/client.hpp>

#include "bench/lib/ws_configs.h"

namespace aw::bench {

// Open-connection bookkeeping shared by the workers of one pool: counted under a mutex because it changes only
// on open and close, never per frame.
struct ClientPool::OpenCounter {
  std::mutex mutex;  // guards open
  std::condition_variable changed;
  std::size_t open = 0;
};

class ClientPool::Worker {
 public:
  using Client = websocketpp::client<SingleThreadClientConfig>;

  Worker(std::string uri, const ClientPoolHandlers& handlers, std::size_t stride, OpenCounter& counter)
      : uri_(std::move(uri)), handlers_(handlers), stride_(stride), counter_(counter) {
    client_.clear_access_channels(websocketpp::log::alevel::all);
    client_.clear_error_channels(websocketpp::log::elevel::all);
    client_.init_asio();
    // Keeps run() going while no connection exists yet (between construction and connect()).
    client_.start_perpetual();
    client_.set_tcp_post_init_handler([this](websocketpp::connection_hdl hdl) {
      websocketpp::lib::error_code ec;
      auto con = client_.get_con_from_hdl(hdl, ec);
      if (ec) return;
      asio::error_code opt_ec;
      con->get_socket().set_option(asio::ip::tcp::no_delay(true), opt_ec);
    });
    thread_ = std::thread([this] { client_.run(); });
  }

  ~Worker() {
    client_.stop_perpetual();
    client_.stop();
    if (thread_.joinable()) thread_.join();
    // Connections go before the endpoint that owns their io_context (member order below).
    conns_.clear();
  }

  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Loop thread only.
  void connect_ids(const std::vector<ConnId>& ids) {
    for (ConnId id : ids) {
      const std::size_t slot = id / stride_;
      if (conns_.size() <= slot) conns_.resize(slot + 1);
      websocketpp::lib::error_code ec;
      auto con = client_.get_connection(uri_, ec);
      if (ec) {
        if (handlers_.on_fail) handlers_.on_fail(id, "get_connection: " + ec.message());
        continue;
      }
      con->set_open_handler([this, id](websocketpp::connection_hdl) {
        {
          std::lock_guard<std::mutex> lock(counter_.mutex);
          ++counter_.open;
        }
        if (handlers_.on_open) handlers_.on_open(id);
      });
      con->set_fail_handler([this, id](websocketpp::connection_hdl) {
        std::string reason = "connect failed";
        if (auto c = conns_[id / stride_]) reason = c->get_ec().message();
        conns_[id / stride_].reset();
        if (handlers_.on_fail) handlers_.on_fail(id, reason);
      });
      con->set_close_handler([this, id](websocketpp::connection_hdl) {
        conns_[id / stride_].reset();
        if (handlers_.on_close) handlers_.on_close(id);
        std::lock_guard<std::mutex> lock(counter_.mutex);
        --counter_.open;
        counter_.changed.notify_all();
      });
      con->set_message_handler([this, id](websocketpp::connection_hdl, Client::message_ptr msg) {
        if (handlers_.on_message) handlers_.on_message(id, msg->get_payload());
      });
      conns_[slot] = con;
      client_.connect(con);
    }
  }

  // Loop thread only.
  bool send(ConnId id, std::string_view text) {
    const std::size_t slot = id / stride_;
    if (slot >= conns_.size() || !conns_[slot]) return false;
    const auto ec = conns_[slot]->send(text.data(), text.size(), websocketpp::frame::opcode::text);
    return !ec;
  }

  // Loop thread only.
  void close_open_connections() {
    for (auto& con : conns_) {
      if (!con || con->get_state() != websocketpp::session::state::open) continue;
      websocketpp::lib::error_code ec;
      con->close(websocketpp::close::status::normal, "bench done", ec);
    }
  }

  void post(std::function<void()> task) { asio::post(client_.get_io_service(), std::move(task)); }

 private:
  const std::string uri_;
  const ClientPoolHandlers& handlers_;  // owned by the pool, which outlives its workers
  const std::size_t stride_;            // the pool's thread count: id / stride_ is the slot in conns_
  OpenCounter& counter_;
  Client client_;
  std::vector<Client::connection_ptr> conns_;  // by slot; null when not (or no longer) connected
  std::thread thread_;
};

ClientPool::ClientPool(std::string uri, std::size_t thread_count, ClientPoolHandlers handlers)
    : uri_(std::move(uri)), handlers_(std::move(handlers)), counter_(std::make_unique<OpenCounter>()) {
  thread_count = std::max<std::size_t>(thread_count, 1);
  for (std::size_t i = 0; i < thread_count; ++i) {
    workers_.push_back(std::make_unique<Worker>(uri_, handlers_, thread_count, *counter_));
  }
}

ClientPool::~ClientPool() { workers_.clear(); }

void ClientPool::connect(std::size_t count) {
  std::vector<std::vector<ConnId>> ids(workers_.size());
  for (ConnId id = 0; id < count; ++id) ids[id % workers_.size()].push_back(id);
  for (std::size_t w = 0; w < workers_.size(); ++w) {
    Worker* worker = workers_[w].get();
    worker->post([worker, batch = std::move(ids[w])] { worker->connect_ids(batch); });
  }
}

bool ClientPool::send(ConnId id, std::string_view text) { return worker_of(id).send(id, text); }

void ClientPool::post(ConnId id, std::function<void()> task) { worker_of(id).post(std::move(task)); }

std::size_t ClientPool::close_all(std::chrono::milliseconds timeout) {
  for (auto& worker : workers_) {
    Worker* w = worker.get();
    w->post([w] { w->close_open_connections(); });
  }
  OpenCounter& counter = *counter_;
  std::unique_lock<std::mutex> lock(counter.mutex);
  counter.changed.wait_for(lock, timeout, [&counter] { return counter.open == 0; });
  return counter.open;
}

std::size_t ClientPool::thread_count() const { return workers_.size(); }

}  // namespace aw::bench
