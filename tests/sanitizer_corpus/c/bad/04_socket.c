// expect: 2:2 3:2 6:3 7:3
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>
int main(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    (void)fd; (void)addr;
    return 0;
}
