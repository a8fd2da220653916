SELECT length(data) - length(replace(data, char(10), '')) FROM stdin;
