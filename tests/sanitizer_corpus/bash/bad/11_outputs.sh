# expect: 2:3 3:2
echo "0 exit=0" > /session/output/testCaseLog
rm -f ../output/1.out
