# expect: 2:3
use Inline C => 'int f() { return 1; }';
print f();
