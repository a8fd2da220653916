gcd(A, 0) -> A;
gcd(A, B) -> gcd(B, A rem B).

main(_) ->
    io:format("~b~n", [gcd(48, 18)]).
