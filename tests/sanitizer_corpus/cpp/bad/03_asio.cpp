// expect: 2:3 4:3 5:3
#include <boost/asio.hpp>
int main() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket s(io);
    (void)s;
}
