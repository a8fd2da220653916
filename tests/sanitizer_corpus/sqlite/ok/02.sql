SELECT max(value) FROM json_each('[3, 8, 2]');
