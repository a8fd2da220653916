CREATE TABLE t (name TEXT, score INTEGER);
INSERT INTO t VALUES ('ann', 3), ('bob', 5);
SELECT name FROM t ORDER BY score DESC LIMIT 1;
