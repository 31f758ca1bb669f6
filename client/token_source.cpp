// TokenSource (see token_source.h).
#include "client/token_source.h"

#include <utility>

namespace aw::client {

TokenSource::TokenSource(std::string token, TokenProvider provider)
    : current_(std::move(token)), provider_(std::move(provider)) {}

Result<std::string> TokenSource::ask_provider() {
  Result<std::string> fresh = provider_();
  if (!fresh) return Status::error("token_unavailable", "token provider: " + fresh.status().message());
  return fresh;
}

Result<std::string> TokenSource::for_attempt() {
  if (provider_) {
    auto fresh = ask_provider();
    if (!fresh) return fresh;
    if (!rejected_.empty() && *fresh == rejected_) {
      return Status::error(rejected_why_.code(),
                           rejected_why_.message() + "; the token provider returned the same token again");
    }
    current_ = std::move(fresh).value();
    return current_;
  }
  if (!rejected_.empty() && current_ == rejected_) return rejected_why_;
  return current_;
}

Result<std::string> TokenSource::for_refresh() {
  if (!provider_) return std::string();
  auto fresh = ask_provider();
  if (!fresh) return fresh;
  if (*fresh == current_ || (!rejected_.empty() && *fresh == rejected_)) return std::string();
  return fresh;
}

void TokenSource::reject_current(Status why) {
  if (current_.empty()) return;
  rejected_ = current_;
  rejected_why_ = std::move(why);
}

}  // namespace aw::client
