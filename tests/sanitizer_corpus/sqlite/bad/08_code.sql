-- expect: 2:3
SELECT load_extension('./evil');
