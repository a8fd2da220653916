-- The input is the column data of the table stdin; print it as it is.
.separator "" ""
SELECT data FROM stdin;
