// expect: 2:3
fetch("http://203.0.113.7/x").then((r) => r.text()).then(console.log);
