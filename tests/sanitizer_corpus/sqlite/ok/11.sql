SELECT CASE WHEN data = '' THEN 'empty' ELSE 'text' END FROM stdin;
