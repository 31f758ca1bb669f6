#define BOOST_TEST_MODULE bus_integration_tests
#include <boost/test/unit_test.hpp>
