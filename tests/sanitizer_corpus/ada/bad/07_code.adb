-- expect: 2:2
with Ada.Environment_Variables;
