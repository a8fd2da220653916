import std.stdio;

void main()
{
    foreach (i; 1 .. 101)
        writeln(i % 15 == 0 ? "FizzBuzz" : i % 3 == 0 ? "Fizz" : i % 5 == 0 ? "Buzz" : i.stringof);
}
