-- Split the input at blanks and newlines and add up the numbers.
WITH RECURSIVE
  t(s) AS (
    SELECT replace(replace(data, char(10), ' '), char(9), ' ') || ' ' FROM stdin
  ),
  w(word, rest) AS (
    SELECT '', s FROM t
    UNION ALL
    SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM w WHERE rest <> ''
  )
SELECT coalesce(sum(CAST(word AS INTEGER)), 0) FROM w WHERE word <> '';
