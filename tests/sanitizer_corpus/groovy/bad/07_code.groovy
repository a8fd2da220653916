// expect: 2:3
new GroovyShell().evaluate(code)
