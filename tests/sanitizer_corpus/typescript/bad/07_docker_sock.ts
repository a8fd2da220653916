// expect: 2:2 3:3
import * as http from "http";
http.get({ socketPath: "/var/run/docker.sock", path: "/containers/json" }, (r) => r.pipe(process.stdout));
