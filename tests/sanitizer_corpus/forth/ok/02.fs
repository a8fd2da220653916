: hello ." Hello, World!" cr ;
hello
