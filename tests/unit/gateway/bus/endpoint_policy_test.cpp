// Endpoint policy (bus-protocol.md §11) and tap topics (§10): which endpoints count as local, and the topic a
// client frame is re-published under.
#include <boost/test/unit_test.hpp>

#include "gateway/bus/endpoint_policy.h"
#include "gateway/bus/socket_bus_output.h"

namespace aw::gateway::bus {

BOOST_AUTO_TEST_SUITE(bus_endpoint_policy)

BOOST_AUTO_TEST_CASE(loopback_ipc_and_inproc_are_local) {
  BOOST_TEST(is_local_endpoint("tcp://127.0.0.1:5555"));
  BOOST_TEST(is_local_endpoint("tcp://127.1.2.3:5555"));
  BOOST_TEST(is_local_endpoint("tcp://localhost:5555"));
  BOOST_TEST(is_local_endpoint("tcp://[::1]:5555"));
  BOOST_TEST(is_local_endpoint("ipc:///tmp/aw.sock"));
  BOOST_TEST(is_local_endpoint("inproc://bus"));
}

BOOST_AUTO_TEST_CASE(other_hosts_are_not_local) {
  BOOST_TEST(!is_local_endpoint("tcp://0.0.0.0:5555"));
  BOOST_TEST(!is_local_endpoint("tcp://*:5555"));
  BOOST_TEST(!is_local_endpoint("tcp://10.0.0.5:5555"));
  BOOST_TEST(!is_local_endpoint("tcp://[::]:5555"));
  BOOST_TEST(!is_local_endpoint("tcp://gateway:5555"));
  BOOST_TEST(!is_local_endpoint("tcp://localhost.evil.com:5555"));
}

BOOST_AUTO_TEST_CASE(tap_topic_is_frame_type_dot_world) {
  BOOST_TEST(tap_topic(R"({"type":"event","worldId":"w1","seq":3})", "w1") == "event.w1");
  BOOST_TEST(tap_topic(R"({"type":"status","worldId":"w1"})", "w1") == "status.w1");
  BOOST_TEST(tap_topic(R"({"worldId":"w1"})", "w1") == "frame.w1");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::bus
