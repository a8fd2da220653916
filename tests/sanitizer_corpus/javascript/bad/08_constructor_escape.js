// expect: 2:3
const F = [].constructor.constructor;
console.log(F("return this")());
