\ expect: 2:3
open-lib
