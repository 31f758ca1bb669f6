// The processor integration test module: tests against the real aw-fake-llm (and aw-processor) over real sockets.
#define BOOST_TEST_MODULE agent_world_processor_integration
#include <boost/test/unit_test.hpp>
