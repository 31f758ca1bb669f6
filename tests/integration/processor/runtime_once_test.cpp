// `aw-processor --once` against the real aw-fake-llm over real HTTP: the whole runtime (routing, prompts, the
// provider stack, activity events, cancellation, the commit) as a process, asserted on the JSON lines it prints.
// Each case starts its own fake (FakeLlmFixture) and its own aw-processor; no sleeps: every wait is for a line on
// the processor's stdout, or for its exit, with a deadline.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "common/json.h"
#include "tests/integration/processor/fake_llm_fixture.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;
using Lines = std::vector<std::string>;

constexpr Millis kRunTimeout{20000};

// One `aw-processor --once <file>` child: stdout read line by line through a pipe, stderr kept in a file.
class OnceProcess {
 public:
  OnceProcess(const std::string& work_item_json, const std::vector<std::string>& extra_env) {
    char dir_template[] = "/tmp/aw-runtime-once-XXXXXX";
    BOOST_REQUIRE(::mkdtemp(dir_template) != nullptr);
    dir_ = dir_template;
    const std::string item_file = dir_ + "/run.json";
    std::ofstream(item_file) << work_item_json;
    const std::string stderr_file = dir_ + "/stderr.log";

    std::vector<std::string> args{AW_PROCESSOR_BINARY, "--once", item_file};
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry(*e);
      if (entry.rfind("LOG_", 0) != 0 && entry.rfind("OPENAI_COMPATIBLE_", 0) != 0 && entry.rfind("AW_LLM_", 0) != 0) {
        env.push_back(entry);
      }
    }
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);

    int fds[2];
    BOOST_REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    const int err_fd = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    BOOST_REQUIRE(err_fd >= 0);
    pid_ = ::fork();
    BOOST_REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::dup2(err_fd, STDERR_FILENO);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    ::close(err_fd);
    out_fd_ = fds[0];
  }

  ~OnceProcess() {
    if (pid_ > 0 && !exit_status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) ::close(out_fd_);
    std::remove((dir_ + "/run.json").c_str());
    std::remove((dir_ + "/stderr.log").c_str());
    ::rmdir(dir_.c_str());
  }

  // Reads stdout until a complete line satisfies `predicate` (true) or the deadline passes or stdout ends (false).
  bool wait_for_line(const std::function<bool(const std::string&)>& predicate, Millis timeout = kRunTimeout) {
    const auto deadline = Clock::now() + timeout;
    std::size_t checked = 0;
    for (;;) {
      for (; checked < lines_.size(); ++checked) {
        if (predicate(lines_[checked])) return true;
      }
      if (eof_ || !read_some(deadline)) return false;
    }
  }

  // Reads stdout to its end and reaps the child; returns its exit status (-1 when it had to be killed).
  int wait_exit(Millis timeout = kRunTimeout) {
    const auto deadline = Clock::now() + timeout;
    while (!eof_ && read_some(deadline)) {
    }
    if (!eof_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      exit_status_ = -1;
      return -1;
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return *exit_status_;
  }

  void signal(int sig) { ::kill(pid_, sig); }
  const Lines& lines() const { return lines_; }
  std::string stderr_text() const {
    std::ifstream in(dir_ + "/stderr.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  // One read of whatever is available; false on timeout.
  bool read_some(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd pfd{out_fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) return true;
    if (ready <= 0) return false;
    char buffer[8192];
    const ssize_t n = ::read(out_fd_, buffer, sizeof(buffer));
    if (n <= 0) {
      eof_ = true;
      return true;
    }
    partial_.append(buffer, static_cast<std::size_t>(n));
    for (std::size_t nl = partial_.find('\n'); nl != std::string::npos; nl = partial_.find('\n')) {
      lines_.push_back(partial_.substr(0, nl));
      partial_.erase(0, nl + 1);
    }
    return true;
  }

  std::string dir_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string partial_;
  Lines lines_;
  bool eof_ = false;
  std::optional<int> exit_status_;
};

aw::json::Document parse(const std::string& line) {
  auto doc = aw::json::parse_trusted(line);
  BOOST_REQUIRE_MESSAGE(doc.is_ok(), "not a JSON line: " + line);
  return std::move(doc.value());
}

std::string str(const aw::json::Value& v, const char* key) { return aw::json::get_string(v, key).value_or("<absent>"); }
std::int64_t num(const aw::json::Value& v, const char* key) { return aw::json::get_int(v, key).value_or(-999); }

// The run's outline from the event lines: chunks left out, one short line per event (as in the unit tests).
Lines trace(const Lines& lines) {
  Lines out;
  for (const auto& line : lines) {
    auto doc = parse(line);
    if (str(doc, "kind") != "event") continue;
    const auto& p = doc["payload"];
    const std::string type = str(doc, "eventType");
    if (type == "message") out.push_back("message " + str(p, "sender") + ": " + str(p, "content"));
    if (type == "system") out.push_back("system " + aw::json::to_string(p["content"]).value_or("?"));
    if (type == "world") {
      out.push_back("world " + str(p, "type") + " p=" + std::to_string(num(p, "pendingOperations")) + " " +
                    (aw::json::find(p, "source") ? str(p, "source") : std::string("-")));
    }
    if (type == "sse" && str(p, "type") != "chunk") {
      out.push_back("sse " + str(p, "type") + " " + str(p, "agentName") +
                    (str(p, "type") == "error" ? ": " + str(p, "error") : std::string()));
    }
  }
  return out;
}

// The concatenated chunk contents of one agent.
std::string streamed_by(const Lines& lines, const std::string& agent) {
  std::string text;
  for (const auto& line : lines) {
    auto doc = parse(line);
    if (str(doc, "kind") != "event" || str(doc, "eventType") != "sse") continue;
    const auto& p = doc["payload"];
    if (str(p, "type") == "chunk" && str(p, "agentName") == agent) text += str(p, "content");
  }
  return text;
}

struct OnceFixture : aw::test::FakeLlmFixture {
  // The work item of agent-runtime.md §15: world w (turnLimit 5), agents a1 then a2 with system prompts, provider
  // openai-compatible, each with its own model so that the fake's rules can tell them apart.
  static std::string work_item(const std::string& sender, const std::string& content,
                               std::int64_t deadline_ms = 60000) {
    std::string trigger;
    aw::json::append_quoted(trigger, content);
    std::string from;
    aw::json::append_quoted(from, sender);
    return R"({"worldId":"w","runId":"t1","attempt":1,"chatId":"c1","activityId":3,"deadlineMs":)" +
           std::to_string(deadline_ms) + R"(,"historyWindow":10,"trigger":{"messageId":"t1","content":)" + trigger +
           R"(,"sender":)" + from + R"(,"createdAt":"2025-11-02T12:00:00.000Z"},)" +
           R"("world":{"id":"w","name":"W","turnLimit":5},"chat":{"id":"c1","name":"New Chat"},"agents":[)" +
           R"({"id":"a1","name":"Agent A1","type":"default","provider":"openai-compatible","model":"model-a1",)" +
           R"("systemPrompt":"You are A1.","llmCallCount":0,"lastActive":"2025-11-02T11:00:00.000Z","rev":1},)" +
           R"({"id":"a2","name":"Agent A2","type":"default","provider":"openai-compatible","model":"model-a2",)" +
           R"("systemPrompt":"You are A2.","llmCallCount":0,"lastActive":"2025-11-02T11:00:00.000Z","rev":2}],)" +
           R"("history":{}})";
  }

  std::unique_ptr<OnceProcess> run(const std::string& item) {
    return std::make_unique<OnceProcess>(
        item, std::vector<std::string>{"OPENAI_COMPATIBLE_BASE_URL=http://127.0.0.1:" + std::to_string(port()) + "/v1",
                                       "AW_LLM_RETRY_BASE_MS=10", "LOG_LEVEL=warn"});
  }

  // The OpenAI `messages` of every request the fake served for `model`, rendered as "role[content] ...".
  std::vector<std::string> prompts_for(const std::string& model) {
    std::vector<std::string> out;
    auto requests = logged_requests();
    for (const auto& r : requests.GetArray()) {
      const auto& body = r["body"];
      if (str(body, "model") != model) continue;
      std::string rendered;
      for (const auto& m : body["messages"].GetArray()) rendered += str(m, "role") + "[" + str(m, "content") + "] ";
      out.push_back(rendered);
    }
    return out;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(runtime_once, OnceFixture)

BOOST_AUTO_TEST_CASE(two_agents_answer_a_human_and_the_commit_closes_the_stream) {
  start(R"({"rules":[{"match":{"model":"model-a1"},"reply":"Hi from a1","chunk_size":3},
                     {"match":{"model":"model-a2"},"reply":"Hi from a2","chunk_size":3}]})");
  auto p = run(work_item("human", "Hello everyone!"));
  BOOST_TEST(p->wait_exit() == 0, p->stderr_text());
  const Lines& lines = p->lines();
  BOOST_TEST(trace(lines) ==
             (Lines{"world response-start p=1 agent:a1", "world response-start p=2 agent:a2", "sse start a1",
                    "sse end a1", "message a1: Hi from a1", "world response-end p=1 agent:a1", "sse start a2",
                    "sse end a2", "message a2: Hi from a2", "world idle p=0 agent:a2"}));
  BOOST_TEST(streamed_by(lines, "a1") == "Hi from a1");
  BOOST_TEST(streamed_by(lines, "a2") == "Hi from a2");

  // Every line but the last is a bus event body of this attempt, indexed 0, 1, 2, … in order.
  BOOST_REQUIRE(lines.size() >= 2u);
  std::string processor_id;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    auto e = parse(lines[i]);
    BOOST_TEST(str(e, "kind") == "event");
    BOOST_TEST(num(e, "v") == 1);
    BOOST_TEST(num(e, "index") == static_cast<std::int64_t>(i));
    BOOST_TEST((str(e, "worldId") == "w" && str(e, "runId") == "t1" && str(e, "chatId") == "c1"));
    BOOST_TEST(num(e, "attempt") == 1);
    if (i == 0) processor_id = str(e, "processorId");
    BOOST_TEST(str(e, "processorId") == processor_id);
  }
  BOOST_TEST(processor_id.find("-") != std::string::npos);

  auto commit = parse(lines.back());
  BOOST_TEST(str(commit, "kind") == "commit");
  BOOST_TEST(str(commit, "processorId") == processor_id);
  BOOST_TEST(str(commit, "outcome") == "completed");
  BOOST_TEST(num(commit, "lastIndex") == static_cast<std::int64_t>(lines.size()) - 2);
  BOOST_REQUIRE(commit["messages"].Size() == 2u);
  BOOST_TEST(str(commit["messages"][0], "content") == "Hi from a1");
  BOOST_TEST(str(commit["messages"][0], "replyToMessageId") == "t1");
  BOOST_TEST(commit["memory"].Size() == 4u);  // two incoming rows, two replies
  BOOST_REQUIRE(commit["agents"].Size() == 2u);
  BOOST_TEST(num(commit["agents"][0], "llmCallCount") == 1);
  BOOST_TEST(num(commit["agents"][1], "rev") == 2);

  // What the provider stack sent over HTTP.
  BOOST_TEST(prompts_for("model-a1") == Lines{"system[You are A1.] user[Hello everyone!] "});
  BOOST_TEST(prompts_for("model-a2") == Lines{"system[You are A2.] user[Hello everyone!] "});
}

BOOST_AUTO_TEST_CASE(a_chain_between_agents_quotes_the_other_agent_as_a_user) {
  start(R"({"rules":[{"match":{"model":"model-a1"},"reply":"@a2 ping","times":1},
                     {"match":{"model":"model-a1"},"reply":"<world>DONE</world> done"},
                     {"match":{"model":"model-a2"},"reply":"pong"}]})");
  auto p = run(work_item("human", "@a1 start"));
  BOOST_TEST(p->wait_exit() == 0, p->stderr_text());
  BOOST_TEST(
      trace(p->lines()) ==
      (Lines{"world response-start p=1 agent:a1", "sse start a1", "sse end a1", "message a1: @a2 ping",
             "world response-start p=2 agent:a2", "world response-end p=1 agent:a1", "sse start a2", "sse end a2",
             "message a2: @a1 pong", "world response-start p=2 agent:a1", "world response-end p=1 agent:a2",
             "sse start a1", "sse end a1", "message a1: done", "world idle p=0 agent:a1"}));
  BOOST_TEST(prompts_for("model-a2") == Lines{"system[You are A2.] user[a1: @a2 ping] "});
  BOOST_TEST(prompts_for("model-a1") ==
             (Lines{"system[You are A1.] user[@a1 start] ",
                    "system[You are A1.] user[@a1 start] assistant[@a2 ping] user[a2: @a1 pong] "}));
  auto commit = parse(p->lines().back());
  BOOST_TEST(num(commit["agents"][0], "llmCallCount") == 2);
}

BOOST_AUTO_TEST_CASE(a_provider_error_is_reported_and_the_other_agent_still_answers) {
  start(R"({"rules":[{"match":{"model":"model-a1"},"fail":{"status":401,"message":"Incorrect API key provided"}},
                     {"match":{"model":"model-a2"},"reply":"still here"}]})");
  auto p = run(work_item("human", "Hello everyone!"));
  BOOST_TEST(p->wait_exit() == 0, p->stderr_text());
  BOOST_TEST(trace(p->lines()) ==
             (Lines{"world response-start p=1 agent:a1", "world response-start p=2 agent:a2", "sse start a1",
                    "sse error a1: 401 Incorrect API key provided",
                    R"(system {"message":"[Error] 401 Incorrect API key provided","type":"error"})",
                    "world response-end p=1 agent:a1", "sse start a2", "sse end a2", "message a2: still here",
                    "world idle p=0 agent:a2"}));
  BOOST_TEST(str(parse(p->lines().back()), "outcome") == "completed");
}

BOOST_AUTO_TEST_CASE(sigterm_while_a1_streams_cancels_the_run_and_still_commits) {
  start(R"({"rules":[{"match":{"model":"model-a1"},"reply":"Hello there","stall_after_chunks":1},
                     {"match":{"model":"model-a2"},"reply":"never"}]})");
  auto p = run(work_item("human", "Hello everyone!"));
  BOOST_REQUIRE_MESSAGE(
      p->wait_for_line([](const std::string& line) { return line.find("\"type\":\"chunk\"") != std::string::npos; }),
      "no chunk arrived; stderr: " + p->stderr_text());
  p->signal(SIGTERM);
  BOOST_TEST(p->wait_exit() == 0, p->stderr_text());
  BOOST_TEST(trace(p->lines()) == (Lines{"world response-start p=1 agent:a1", "world response-start p=2 agent:a2",
                                         "sse start a1", "sse error a1: Cancelled", "world idle p=0 agent:a1"}));
  auto commit = parse(p->lines().back());
  BOOST_TEST(str(commit, "outcome") == "cancelled");
  BOOST_TEST(commit["messages"].Size() == 0u);
  BOOST_TEST(prompts_for("model-a2").empty());
}

BOOST_AUTO_TEST_CASE(the_deadline_aborts_a_stalled_request_with_run_timeout) {
  start(R"({"rules":[{"match":{"any":true},"reply":"Hello there","stall_after_chunks":1}]})");
  const auto started = Clock::now();
  auto p = run(work_item("human", "@a1 hi", 400));
  BOOST_TEST(p->wait_exit() == 0, p->stderr_text());
  BOOST_TEST((Clock::now() - started >= Millis(400)));
  BOOST_TEST(trace(p->lines()) == (Lines{"world response-start p=1 agent:a1", "sse start a1",
                                         "sse error a1: Run timed out after 0.4 s", "world idle p=0 agent:a1"}));
  BOOST_TEST(str(parse(p->lines().back()), "outcome") == "run_timeout");
}

BOOST_AUTO_TEST_CASE(a_bad_work_item_exits_2_naming_the_field) {
  start();
  auto p = run(R"({"worldId":"w"})");
  BOOST_TEST(p->wait_exit() == 2);
  BOOST_TEST(p->lines().empty());
  BOOST_TEST(p->stderr_text().find("work item: runId") != std::string::npos, p->stderr_text());
}

BOOST_AUTO_TEST_SUITE_END()
