// run_tap (see tap.h).
#include "tools/awctl/tap.h"

#include <csignal>
#include <cstdio>
#include <vector>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "common/bus/curve_socket.h"

namespace aw::ctl {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

// How often the poll wakes to look at the stop flag and the deadline.
constexpr long kPollMs = 200;

}  // namespace

int run_tap(const TapOptions& options) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  const auto deadline = options.duration ? std::chrono::steady_clock::now() + *options.duration
                                         : std::chrono::steady_clock::time_point::max();
  long long printed = 0;
  try {
    zmq::context_t ctx(1);
    zmq::socket_t sub(ctx, zmq::socket_type::sub);
    sub.set(zmq::sockopt::linger, 0);
    if (options.curve) bus::use_curve_client(sub, *options.curve);
    sub.connect(options.endpoint);
    if (options.world.empty()) {
      sub.set(zmq::sockopt::subscribe, "");
    } else {
      for (const char* type : {"event.", "crud.", "status."}) {
        sub.set(zmq::sockopt::subscribe, std::string(type) + options.world);
      }
    }
    while (g_stop == 0 && std::chrono::steady_clock::now() < deadline) {
      zmq::pollitem_t items[] = {{sub.handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 1, std::chrono::milliseconds(kPollMs));
      if ((items[0].revents & ZMQ_POLLIN) == 0) continue;
      std::vector<zmq::message_t> parts;
      if (!zmq::recv_multipart(sub, std::back_inserter(parts), zmq::recv_flags::dontwait)) continue;
      if (parts.size() < 2) continue;
      const std::string topic = parts[0].to_string();
      if (!options.world.empty()) {
        const auto dot = topic.find('.');
        if (dot == std::string::npos || topic.substr(dot + 1) != options.world) continue;
      }
      if (options.with_topic) std::printf("%s\t", topic.c_str());
      const std::string body = parts[1].to_string();
      std::fwrite(body.data(), 1, body.size(), stdout);
      std::fputc('\n', stdout);
      std::fflush(stdout);
      if (options.count && ++printed >= *options.count) break;
    }
  } catch (const zmq::error_t& e) {
    if (e.num() == EINTR) return 0;
    std::fprintf(stderr, "awctl: tap %s: %s\n", options.endpoint.c_str(), e.what());
    return 2;
  }
  return 0;
}

}  // namespace aw::ctl
