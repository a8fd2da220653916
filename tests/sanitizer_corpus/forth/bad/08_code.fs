\ expect: 2:2
s" HOME" getenv type
