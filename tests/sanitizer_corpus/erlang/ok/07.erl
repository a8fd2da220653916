fizz(I) when I rem 15 == 0 -> "FizzBuzz";
fizz(I) when I rem 3 == 0 -> "Fizz";
fizz(I) when I rem 5 == 0 -> "Buzz";
fizz(I) -> integer_to_list(I).

main(_) ->
    [io:format("~s~n", [fizz(I)]) || I <- lists:seq(1, 100)].
