-- expect: 2:3
with System.Machine_Code;
