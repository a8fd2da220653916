// expect: 2:2
const secrets: NodeJS.ProcessEnv = process.env;
console.log(secrets);
