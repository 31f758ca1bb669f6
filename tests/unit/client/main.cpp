// client_unit_tests: the socket-free parts of the client library (requests, subscriptions, backoff, frames).
#define BOOST_TEST_MODULE client_unit_tests
#include <boost/test/unit_test.hpp>
