// expect: 2:3
import std.process;
