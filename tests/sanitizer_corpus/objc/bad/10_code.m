// expect: 2:3
NSTask *t = [NSTask new];
