// expect: 3:2
const name: string = process.argv[2];
import(name).then((m) => console.log(m));
