// The integration test module: every tests/integration/*_test.cpp registers its suites here. The tests start the
// real aw-gateway (AW_GATEWAY_BINARY) and talk to it over real sockets.
#define BOOST_TEST_MODULE agent_world_integration
#include <boost/test/unit_test.hpp>
