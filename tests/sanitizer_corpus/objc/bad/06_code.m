// expect: 2:3
pid_t p = fork();
