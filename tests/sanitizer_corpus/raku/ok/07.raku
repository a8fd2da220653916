for 1..100 -> $i {
    say $i %% 15 ?? "FizzBuzz" !! $i %% 3 ?? "Fizz" !! $i %% 5 ?? "Buzz" !! $i;
}
