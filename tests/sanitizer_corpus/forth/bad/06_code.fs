\ expect: 2:3
sh ls -la
