// client_integration_tests: the client library, aw-cli and awctl against the real aw-gateway (and scripted ZeroMQ
// peers for awctl while the gateway has no admin endpoint).
#define BOOST_TEST_MODULE client_integration_tests
#include <boost/test/unit_test.hpp>
