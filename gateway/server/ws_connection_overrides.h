// Two websocketpp 0.8.2 members replaced for GatewayWsConfig, as explicit specializations, because they cost every
// connection work that the gateway's settings make useless (measured with bench/profile.sh MODE=connect,
// docs/benchmarks.md):
// - The per-connection summary log lines (open, close, fail, plain HTTP) are formatted only when their access channel
//   is on. websocketpp builds each line in a std::stringstream before asking the logger: the open line alone cost
//   about 31,000 instructions and a getpeername() per connection, the close line 5,500. WsServer turns every channel
//   off; with a channel on, the same line as websocketpp's is written.
// - Socket shutdown without a timer. websocketpp arms a 5 s timer around the security policy's async_shutdown and
//   cancels it when the shutdown completes; on plain TCP (security/none.hpp) that shutdown completes before it
//   returns, so the timer could never fire. Errors are translated and reported as websocketpp does.
// Specializations must be seen before anything instantiates the connection types, so ws_config.h includes this file
// at its end.
// Thread-safety: as the connection (loop thread only, ws_config.h). Include only through ws_config.h.
#pragma once

#include <sstream>
#include <string>

#include <websocketpp/connection.hpp>
#include <websocketpp/transport/asio/connection.hpp>

namespace websocketpp {

template <>
inline void connection<aw::gateway::GatewayWsConfig>::log_open_result() {
  if (!m_alog->dynamic_test(log::alevel::connect)) return;
  const int version = processor::is_websocket_handshake(m_request) ? processor::get_websocket_version(m_request) : -1;
  std::stringstream s;
  s << (version == -1 ? "HTTP" : "WebSocket") << " Connection " << transport_con_type::get_remote_endpoint() << " ";
  if (version != -1) s << "v" << version << " ";
  const std::string ua = m_request.get_header("User-Agent");
  s << "\"" << (ua.empty() ? ua : utility::string_replace_all(ua, "\"", "\\\"")) << "\" ";
  s << (m_uri ? m_uri->get_resource() : "NULL") << " " << m_response.get_status_code();
  m_alog->write(log::alevel::connect, s.str());
}

template <>
inline void connection<aw::gateway::GatewayWsConfig>::log_close_result() {
  if (!m_alog->dynamic_test(log::alevel::disconnect)) return;
  std::stringstream s;
  s << "Disconnect close local:[" << m_local_close_code
    << (m_local_close_reason.empty() ? "" : "," + m_local_close_reason) << "] remote:[" << m_remote_close_code
    << (m_remote_close_reason.empty() ? "" : "," + m_remote_close_reason) << "]";
  m_alog->write(log::alevel::disconnect, s.str());
}

template <>
inline void connection<aw::gateway::GatewayWsConfig>::log_fail_result() {
  if (!m_alog->dynamic_test(log::alevel::fail)) return;
  const int version = processor::get_websocket_version(m_request);
  std::stringstream s;
  s << "WebSocket Connection " << transport_con_type::get_remote_endpoint();
  if (version < 0) {
    s << " -";
  } else {
    s << " v" << version;
  }
  const std::string ua = m_request.get_header("User-Agent");
  s << " \"" << (ua.empty() ? ua : utility::string_replace_all(ua, "\"", "\\\"")) << "\" ";
  s << (m_uri ? m_uri->get_resource() : "-") << " " << m_response.get_status_code() << " " << m_ec << " "
    << m_ec.message();
  m_alog->write(log::alevel::fail, s.str());
}

template <>
inline void connection<aw::gateway::GatewayWsConfig>::log_http_result() {
  if (!m_alog->dynamic_test(log::alevel::http)) return;
  if (processor::is_websocket_handshake(m_request)) {
    m_alog->write(log::alevel::devel, "Call to log_http_result for WebSocket");
    return;
  }
  const std::string host = m_request.get_header("host");
  std::stringstream s;
  s << (host.empty() ? "-" : host) << " " << transport_con_type::get_remote_endpoint() << " \""
    << m_request.get_method() << " " << (m_uri ? m_uri->get_resource() : "-") << " " << m_request.get_version() << "\" "
    << m_response.get_status_code() << " " << m_response.get_body().size();
  const std::string ua = m_request.get_header("User-Agent");
  s << " \"" << (ua.empty() ? ua : utility::string_replace_all(ua, "\"", "\\\"")) << "\" ";
  m_alog->write(log::alevel::http, s.str());
}

template <>
inline void transport::asio::connection<aw::gateway::GatewayWsConfig::transport_config>::async_shutdown(
    shutdown_handler callback) {
  // security::none::connection::async_shutdown calls back before it returns (see the file comment).
  socket_con_type::async_shutdown([this, &callback](lib::asio::error_code const& ec) {
    lib::error_code tec;
    // not_connected: the socket had already gone (a failed read or write), which is reported elsewhere.
    if (ec && ec != lib::asio::error::not_connected) {
      tec = socket_con_type::translate_ec(ec);
      m_tec = ec;
      log_err(log::elevel::info, "asio async_shutdown", ec);
    }
    callback(tec);
  });
}

}  // namespace websocketpp
