# expect: 2:2
say %*ENV<HOME>;
