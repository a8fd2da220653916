// expect: 2:3
enum secret = import("/etc/hostname");
