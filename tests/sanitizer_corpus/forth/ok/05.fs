: gcd ( a b -- g ) begin dup while tuck mod repeat drop ;
48 18 gcd . cr
