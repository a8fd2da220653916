# expect: 2:3
fork while fork;
