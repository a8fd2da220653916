CREATE TABLE e (dept TEXT, pay INTEGER);
INSERT INTO e VALUES ('a', 10), ('a', 20), ('b', 5);
SELECT dept, sum(pay) FROM e GROUP BY dept ORDER BY dept;
