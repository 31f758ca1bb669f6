// The libzmq side of CURVE for every bus peer (bus-protocol.md §11): deriving a public key from a secret one,
// generating a key pair (awctl keygen), and making a socket a CURVE client. Header-only on purpose: aw_common does
// not link libzmq, and only the targets that own ZeroMQ sockets (the gateway, aw-processor, awctl, the bus tests)
// include this file. Every function expects keys validated by common/bus/curve_keys.h.
// Thread-safety: the functions are reentrant; a socket is configured by the thread that owns it, before connect().
#pragma once

#include <string>

#include <zmq.hpp>

#include "common/bus/curve_keys.h"
#include "common/status.h"

namespace aw::bus {

// The Z85 public key of a valid Z85 secret key (zmq_curve_public).
inline Result<std::string> curve_public_key(const std::string& secret_key) {
  char public_key[kCurveKeyChars + 1] = {};
  if (zmq_curve_public(public_key, secret_key.c_str()) != 0) {
    return Status::error("invalid_config",
                         std::string("cannot derive a CURVE public key: ") + zmq_strerror(zmq_errno()));
  }
  return std::string(public_key);
}

struct CurveKeyPair {
  std::string public_key;
  std::string secret_key;
};

// A fresh key pair from libzmq's CSPRNG (zmq_curve_keypair); fails when libzmq was built without CURVE.
inline Result<CurveKeyPair> generate_curve_keypair() {
  char public_key[kCurveKeyChars + 1] = {};
  char secret_key[kCurveKeyChars + 1] = {};
  if (zmq_curve_keypair(public_key, secret_key) != 0) {
    return Status::error("curve_unavailable", std::string("zmq_curve_keypair: ") + zmq_strerror(zmq_errno()));
  }
  return CurveKeyPair{public_key, secret_key};
}

// Makes `socket` a CURVE client of the server whose public key is keys.server_key. Call before connect().
// Throws zmq::error_t as cppzmq's setters do (the caller's adapter catches it).
inline void use_curve_client(zmq::socket_t& socket, const CurveClientKeys& keys) {
  auto public_key = curve_public_key(keys.secret_key);
  if (!public_key) throw zmq::error_t();
  socket.set(zmq::sockopt::curve_serverkey, keys.server_key);
  socket.set(zmq::sockopt::curve_publickey, public_key.value());
  socket.set(zmq::sockopt::curve_secretkey, keys.secret_key);
}

}  // namespace aw::bus
