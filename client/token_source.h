// TokenSource: the token the client sends (ws-protocol.md §3.2), from a fixed value or a provider callback, and the
// memory of the token the gateway refused (close 4001, an `auth` answered `unauthorized`, HTTP 401) or let expire
// (close 4002), so that the client never reconnects with it again: with a fixed token it stops; with a provider it
// asks for a fresh one, and stops if the provider hands back the refused token.
// Thread-safety: none; owned by the client's io thread (the provider runs there).
#pragma once

#include <string>

#include "client/client_options.h"
#include "common/status.h"

namespace aw::client {

class TokenSource {
 public:
  TokenSource(std::string token, TokenProvider provider);

  bool has_provider() const { return static_cast<bool>(provider_); }
  // The token for a new connection attempt ("" = none): the provider's answer when there is a provider (its error
  // becomes `token_unavailable`), else the fixed token. Fails with the rejection's error (`unauthorized`,
  // `token_expired`) when the token is the one the gateway refused.
  Result<std::string> for_attempt();
  // A fresh token for a refresh on a live connection: the provider's answer, "" when there is no provider or it
  // returned the token in use (nothing new to send). Its error becomes `token_unavailable`.
  Result<std::string> for_refresh();

  const std::string& current() const { return current_; }
  // The gateway accepted `token` on a live connection (an `auth` refresh): later attempts use it.
  void set_current(std::string token) { current_ = std::move(token); }
  // The gateway refused, or expired, the current token for `why`: it is never sent again.
  void reject_current(Status why);

 private:
  Result<std::string> ask_provider();

  std::string current_;
  std::string rejected_;
  Status rejected_why_;
  TokenProvider provider_;
};

}  // namespace aw::client
