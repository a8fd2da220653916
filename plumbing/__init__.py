"""What both servers (coderunner/ and logserver/) stand on: the error tree and its one
renderer, the HTTP edge (body reader, trusted-client middleware, request counting),
settings loading, the log-event contract and JSON log lines."""
