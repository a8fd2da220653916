-- expect: 2:2
os.remove("../output/testCaseLog")
