# expect: 2:2
file.remove("../output/testCaseLog")
