SELECT value FROM json_each('[5, 3, 9, 1]') ORDER BY value;
