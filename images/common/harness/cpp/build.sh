#!/bin/sh
# Compile recipe of the C++ unit-test harness: one translation unit with the
# preloaded code, the user's code (its main, if any, renamed away) and the
# doctest tests, linked with the runner compiled into the image.
set -e
h=/opt/coderunner/harness/cpp
{
    echo '#include <doctest/doctest.h>'
    if [ -f preloaded.cpp ]; then echo '#line 1 "preloaded.cpp"'; cat preloaded.cpp; echo; fi
    echo '#define main coderunner_user_main'
    echo '#line 1 "solution.cpp"'
    cat source.cpp
    echo
    echo '#undef main'
    echo '#line 1 "tests.cpp"'
    cat tests.cpp
    echo
} > unit.cpp
exec g++ -std=c++17 -O1 -pipe -Wall -o main unit.cpp "$h/main.o"
