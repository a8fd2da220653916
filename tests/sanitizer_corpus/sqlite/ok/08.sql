SELECT upper(data) FROM stdin;
