% expect: 2:3
main :- load_foreign_library(evil).
