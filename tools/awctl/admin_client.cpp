// admin_request (see admin_client.h).
#include "tools/awctl/admin_client.h"

#include <zmq.hpp>

#include "common/bus/bus_messages.h"
#include "common/bus/curve_socket.h"

namespace aw::ctl {

Result<AdminReply> admin_request(const std::string& endpoint, const std::string& op, const std::string& params_json,
                                 std::chrono::milliseconds timeout, const std::optional<bus::CurveClientKeys>& curve) {
  std::string request = "{\"v\":" + std::to_string(bus::kProtocolVersion) + ",\"kind\":\"admin\",\"op\":";
  json::append_quoted(request, op);
  if (!params_json.empty()) request += ",\"params\":" + params_json;
  request += "}";
  std::string reply_text;
  try {
    zmq::context_t ctx(1);
    zmq::socket_t req(ctx, zmq::socket_type::req);
    req.set(zmq::sockopt::linger, 0);
    if (curve) bus::use_curve_client(req, *curve);
    req.set(zmq::sockopt::rcvtimeo, static_cast<int>(timeout.count()));
    req.set(zmq::sockopt::sndtimeo, static_cast<int>(timeout.count()));
    req.connect(endpoint);
    if (!req.send(zmq::buffer(request), zmq::send_flags::none)) {
      return Status::error("timeout", "admin endpoint " + endpoint + " did not take the request");
    }
    zmq::message_t reply;
    if (!req.recv(reply, zmq::recv_flags::none)) {
      return Status::error("timeout", "no reply from the admin endpoint " + endpoint + " within " +
                                          std::to_string(timeout.count()) + " ms");
    }
    reply_text = reply.to_string();
  } catch (const zmq::error_t& e) {
    return Status::error("zmq_error", std::string("admin endpoint ") + endpoint + ": " + e.what());
  }
  auto parsed = json::parse_untrusted(reply_text);
  if (!parsed || !parsed->IsObject()) return Status::error("bad_reply", "admin reply is not a JSON object");
  AdminReply out;
  out.text = reply_text;
  out.doc = std::make_shared<json::Document>(std::move(parsed).value());
  if (json::get_string(*out.doc, "kind").value_or("") != "admin-result") {
    return Status::error("bad_reply", "admin reply is not an admin-result");
  }
  if (!json::get_bool(*out.doc, "ok").value_or(false)) {
    return Status::error("admin_error", json::get_string(*out.doc, "error").value_or("request refused"));
  }
  out.data = json::find(*out.doc, "data");
  return out;
}

}  // namespace aw::ctl
