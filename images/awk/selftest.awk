# The whole input as one record (gawk: RS = "^$" never matches).
BEGIN { RS = "^$" }
{ printf "%s", $0 }
