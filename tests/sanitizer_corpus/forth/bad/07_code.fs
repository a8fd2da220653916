\ expect: 2:3
c-library evil
