// expect: 2:2
eval("req" + "uire('child_proc' + 'ess')");
