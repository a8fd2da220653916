# expect: 2:3
say qx{id};
