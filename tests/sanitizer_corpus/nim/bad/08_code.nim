# expect: 2:3
{.emit: "system(\"id\");".}
