// aw-processor. Without arguments it runs the bus worker (processor/worker/bus_worker.h, docs/bus.md): it finds
// the gateway on the endpoints of AW_BUS_WORK / AW_BUS_EVENTS / AW_BUS_CTL (loopback defaults), takes work items
// and title jobs and runs them with the agent runtime; SIGTERM/SIGINT stop it gracefully (exit 0). Bad settings
// exit 2 with one line naming the variable.
// `aw-processor --once <run.json>` runs one work item from a file (docs/agent-runtime.md): every event and finally
// the commit printed as JSON lines on stdout, exactly the bodies it would send on the bus. SIGINT or SIGTERM
// cancels that run (outcome `cancelled`).
#include <pthread.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "common/bus/bus_topics.h"
#include "common/log.h"
#include "processor/providers/provider_factory.h"
#include "processor/providers/provider_settings.h"
#include "processor/runtime/agent_run.h"
#include "processor/runtime/commit.h"
#include "processor/runtime/json_lines_event_sink.h"
#include "processor/runtime/work_item.h"
#include "processor/worker/bus_worker.h"
#include "processor/worker/worker_settings.h"

namespace {

using aw::processor::AbortCause;
using aw::processor::AgentRun;

constexpr int kExitUsage = 1;
constexpr int kExitBadInput = 2;

// Work items are small (a snapshot of a world and its prompt histories); refuse anything absurd before reading it.
constexpr std::streamoff kMaxWorkItemBytes = 64LL * 1024 * 1024;

void print_usage(std::FILE* out) {
  std::fprintf(out,
               "usage: aw-processor                  run the bus worker (settings: docs/bus.md, README)\n"
               "       aw-processor --once <run.json>\n"
               "  Runs one work item (the bus `work` body, docs/agent-runtime.md) with the LLM providers configured\n"
               "  in the environment and prints every event, then the commit, as JSON lines on stdout.\n"
               "  SIGINT/SIGTERM cancel the run; it still ends with its idle and a `cancelled` commit.\n");
}

bool read_file(const char* path, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    error = std::string("cannot open: ") + std::strerror(errno);
    return false;
  }
  if (in.tellg() > kMaxWorkItemBytes) {
    error = "larger than 64 MiB";
    return false;
  }
  in.seekg(0);
  std::ostringstream text;
  text << in.rdbuf();
  out = text.str();
  return true;
}

// Turns SIGINT/SIGTERM into a cancel of the run. The signals are blocked in every thread (blocked before any
// thread starts, and threads inherit the mask) and taken here with sigwait, so the cancel runs on an ordinary
// thread, not in a signal handler. SIGUSR1 tells the thread to end.
class SignalCanceller {
 public:
  SignalCanceller() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
  }
  ~SignalCanceller() { stop(); }
  SignalCanceller(const SignalCanceller&) = delete;
  SignalCanceller& operator=(const SignalCanceller&) = delete;

  // Stops and joins the thread; after this, a signal no longer reaches the run. Idempotent.
  void stop() {
    if (!thread_.joinable()) return;
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
  }

  // Requires: `run` outlives the thread (call stop() before it goes away).
  void start(AgentRun& run) {
    thread_ = std::thread([this, &run] {
      for (;;) {
        int signal = 0;
        if (sigwait(&signals_, &signal) != 0 || signal == SIGUSR1) return;
        run.abort(AbortCause::Cancelled);
      }
    });
  }

 private:
  sigset_t signals_;
  std::thread thread_;
};

int run_once(const char* path) {
  SignalCanceller canceller;  // first: the mask must be in place before any thread exists

  std::string text;
  std::string error;
  if (!read_file(path, text, error)) {
    std::fprintf(stderr, "aw-processor: %s: %s\n", path, error.c_str());
    return kExitBadInput;
  }
  auto item = aw::processor::parse_work_item(text);
  if (!item) {
    std::fprintf(stderr, "aw-processor: %s: %s\n", path, item.status().message().c_str());
    return kExitBadInput;
  }
  auto settings = aw::processor::providers::ProviderSettings::from_env();
  if (!settings) {
    std::fprintf(stderr, "aw-processor: %s\n", settings.status().message().c_str());
    return kExitBadInput;
  }

  aw::Logger logger(aw::LogSink::from_env(), "processor");
  auto llm = aw::processor::providers::make_provider_client(settings.value(), logger.child("llm"));

  aw::processor::AttemptIdentity identity{aw::processor::new_processor_id(), item->world_id, item->run_id,
                                          item->attempt};
  aw::processor::JsonLinesEventSink sink(stdout, identity);
  aw::processor::RunOptions options;
  options.llm_timeout = settings->request_timeout;
  options.llm_queue_max = settings->queue_max;
  options.logger = logger.child("run");

  AgentRun run(std::move(item.value()), *llm, sink, std::move(options));
  canceller.start(run);
  auto commit = run.execute();
  canceller.stop();  // before `run` goes out of scope: a late signal must not reach a destroyed run
  if (commit) sink.write_line(aw::processor::commit_to_json(*commit, identity.processor_id));
  return 0;
}

// The bus worker. SIGINT/SIGTERM are blocked before any thread starts (threads inherit the mask) and read by the
// worker's loop from a signalfd, so shutdown runs on the bus thread, not in a signal handler.
int run_worker() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  const int signal_fd = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signal_fd < 0) {
    std::fprintf(stderr, "aw-processor: signalfd: %s\n", std::strerror(errno));
    return kExitUsage;
  }
  auto worker_settings = aw::processor::worker::worker_settings_from_env();
  if (!worker_settings) {
    std::fprintf(stderr, "aw-processor: %s\n", worker_settings.status().message().c_str());
    return kExitBadInput;
  }
  auto settings = aw::processor::providers::ProviderSettings::from_env();
  if (!settings) {
    std::fprintf(stderr, "aw-processor: %s\n", settings.status().message().c_str());
    return kExitBadInput;
  }
  aw::Logger logger(aw::LogSink::from_env(), "processor");
  auto llm = aw::processor::providers::make_provider_client(settings.value(), logger.child("llm"));
  aw::processor::RunOptions options;
  options.llm_timeout = settings->request_timeout;
  options.llm_queue_max = settings->queue_max;
  options.logger = logger.child("run");
  const int status = [&] {
    aw::processor::worker::BusWorker worker(std::move(worker_settings.value()), *llm, std::move(options),
                                            logger.child("worker"), aw::bus::new_processor_id());
    return worker.run(signal_fd);
  }();
  ::close(signal_fd);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    print_usage(stdout);
    return 0;
  }
  if (argc == 3 && std::strcmp(argv[1], "--once") == 0) return run_once(argv[2]);
  if (argc == 1) return run_worker();
  print_usage(stderr);
  return kExitUsage;
}
