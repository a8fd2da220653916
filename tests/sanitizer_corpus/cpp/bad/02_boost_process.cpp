// expect: 2:3 3:3 5:3
#include <boost/process.hpp>
namespace bp = boost::process;
int main() {
    bp::child c("/bin/sh");
    c.wait();
}
