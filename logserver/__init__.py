"""CodeRunner log server: stores every event in SQLite and e-mails broadcast alarms."""
