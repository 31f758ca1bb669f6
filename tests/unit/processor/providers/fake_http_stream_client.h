// FakeHttpStreamClient: an HttpStreamClient that plays scripted responses, one per post(), and records every
// request. Lets ProviderClient's retry, timeout, cancel and error rules be tested without a socket.
// Thread-safety: post() may run on any thread; script responses before the calls that consume them.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "processor/providers/http_stream_client.h"

namespace aw::processor::providers::test {

struct FakeResponse {
  // The head, when one arrives (status 0: the failure happens before any head).
  int status = 200;
  std::string reason_phrase = "OK";
  std::vector<HttpHeader> headers = {{"Content-Type", "text/event-stream"}};
  std::vector<std::string> body_chunks;     // handed to on_body one by one
  HttpFailure failure = HttpFailure::None;  // reported after the chunks (Connection, Timeout)
  bool hang_until_cancelled = false;        // after the chunks, block until the token fires, then report Cancelled

  static FakeResponse stream(std::vector<std::string> chunks) {
    FakeResponse r;
    r.body_chunks = std::move(chunks);
    return r;
  }
  static FakeResponse error(int status, std::string reason, std::string body,
                            std::vector<HttpHeader> headers = {{"Content-Type", "application/json"}}) {
    FakeResponse r;
    r.status = status;
    r.reason_phrase = std::move(reason);
    r.headers = std::move(headers);
    r.body_chunks = {std::move(body)};
    return r;
  }
  static FakeResponse connection_failure() {
    FakeResponse r;
    r.status = 0;
    r.failure = HttpFailure::Connection;
    return r;
  }
};

class FakeHttpStreamClient : public HttpStreamClient {
 public:
  void push(FakeResponse response) {
    std::lock_guard<std::mutex> lock(mutex_);
    responses_.push_back(std::move(response));
  }
  std::vector<HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  std::size_t request_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_.size();
  }

  // HttpStreamClient
  HttpOutcome post(const HttpRequest& request, HttpStreamHandler& handler, const CancelToken& cancel) override {
    FakeResponse response;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(request);
      if (responses_.empty()) {
        HttpOutcome none;
        none.failure = HttpFailure::Connection;
        none.detail = "fake: no response scripted";
        return none;
      }
      response = std::move(responses_.front());
      responses_.pop_front();
    }
    HttpOutcome out;
    if (cancel.is_cancelled()) {
      out.failure = HttpFailure::Cancelled;
      return out;
    }
    if (response.status != 0) {
      out.head_received = true;
      HttpResponseHead head{response.status, response.reason_phrase, response.headers};
      if (!handler.on_head(head)) {
        out.stopped_by_handler = true;
        return out;
      }
      for (const std::string& chunk : response.body_chunks) {
        if (!handler.on_body(chunk)) {
          out.stopped_by_handler = true;
          return out;
        }
      }
    }
    if (response.hang_until_cancelled) {
      wait_for_cancel(cancel);
      out.failure = HttpFailure::Cancelled;
      return out;
    }
    out.failure = response.failure;
    return out;
  }

 private:
  static void wait_for_cancel(const CancelToken& cancel) {
    struct Wait {
      std::mutex mutex;
      std::condition_variable cv;
      bool fired = false;
    };
    auto wait = std::make_shared<Wait>();
    CancelToken token = cancel;
    auto id = token.on_cancel([wait] {
      std::lock_guard<std::mutex> lock(wait->mutex);
      wait->fired = true;
      wait->cv.notify_all();
    });
    {
      std::unique_lock<std::mutex> lock(wait->mutex);
      wait->cv.wait(lock, [&] { return wait->fired; });
    }
    token.remove_callback(id);
  }

  mutable std::mutex mutex_;  // guards responses_, requests_
  std::deque<FakeResponse> responses_;
  std::vector<HttpRequest> requests_;
};

}  // namespace aw::processor::providers::test
