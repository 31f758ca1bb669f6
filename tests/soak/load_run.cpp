// LoadRun (see load_run.h).
#include "tests/soak/load_run.h"

#include <algorithm>
#include <random>
#include <utility>

#include "tests/soak/abuser.h"
#include "tests/soak/sender.h"
#include "tests/soak/subscriber.h"

namespace aw::test {
namespace {

// Of every 20 connections: 14 subscribers, 3 senders, 3 abusers.
constexpr int kRoleCycle = 20;
constexpr int kSubscribersPerCycle = 14;
constexpr int kSendersPerCycle = 3;
constexpr int kWorldsPerSubscriber = 3;
// Connections start spread over this much time, so that a phase does not begin with hundreds of handshakes at once.
constexpr int kStartSpreadMs = 2000;
// Pause between two rounds of a thread over its connections.
constexpr Millis kRoundPause{5};

std::vector<std::string> pick_worlds(const std::vector<std::string>& worlds, int n, std::mt19937& rng) {
  std::vector<std::string> shuffled = worlds;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  shuffled.resize(std::min<std::size_t>(shuffled.size(), static_cast<std::size_t>(n)));
  return shuffled;
}

}  // namespace

LoadRun::LoadRun(LoadPlan plan) : plan_(std::move(plan)) {
  std::mt19937 rng(plan_.seed);
  std::vector<std::string> worlds;
  for (const auto& [world, chat] : plan_.world_chats) worlds.push_back(world);
  const auto now = std::chrono::steady_clock::now();
  for (int i = 0; i < plan_.connections; ++i) {
    const std::uint32_t seed = static_cast<std::uint32_t>(rng());
    const SteadyTime first = now + Millis(std::uniform_int_distribution<int>(0, kStartSpreadMs)(rng));
    const int role = i % kRoleCycle;
    if (role < kSubscribersPerCycle) {
      connections_.push_back(
          std::make_unique<Subscriber>(plan_.port, pick_worlds(worlds, kWorldsPerSubscriber, rng), seed, first));
    } else if (role < kSubscribersPerCycle + kSendersPerCycle) {
      connections_.push_back(std::make_unique<Sender>(plan_.port, plan_.world_chats,
                                                      "soak-" + plan_.phase + "-" + std::to_string(i), seed, first));
    } else {
      connections_.push_back(
          std::make_unique<Abuser>(plan_.port, worlds, plan_.max_frame_bytes, plan_.rate_limit_burst, seed, first));
    }
  }
}

LoadRun::~LoadRun() {
  stopping_ = true;
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void LoadRun::start() {
  const int threads = std::max(1, std::min(plan_.threads, plan_.connections));
  std::vector<std::vector<LoadConnection*>> shares(static_cast<std::size_t>(threads));
  for (std::size_t i = 0; i < connections_.size(); ++i) {
    shares[i % shares.size()].push_back(connections_[i].get());
  }
  for (auto& share : shares) threads_.emplace_back([this, share] { run_thread(share); });
}

void LoadRun::run_thread(std::vector<LoadConnection*> connections) {
  while (!stopping_.load()) {
    const auto now = std::chrono::steady_clock::now();
    for (LoadConnection* c : connections) c->step(now);
    std::this_thread::sleep_for(kRoundPause);
  }
  const auto deadline = std::chrono::steady_clock::now() + Millis(drain_timeout_ms_.load());
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    bool drained = true;
    for (LoadConnection* c : connections) drained = c->drain(now) && drained;
    if (drained || now >= deadline) break;
    std::this_thread::sleep_for(kRoundPause);
  }
  for (LoadConnection* c : connections) c->finish();
}

void LoadRun::stop_and_join(Millis drain_timeout) {
  drain_timeout_ms_ = drain_timeout.count();
  stopping_ = true;
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  for (const auto& c : connections_) tally_.merge(c->tally());
}

}  // namespace aw::test
