#!/bin/sh
# Compile recipe of the Java unit-test harness: each submitted file is named
# after its public type (javac insists), then all are compiled together
# against JUnit 5.
set -e
# The test methods' names in source order, for the launcher's method orderer.
if [ -f tests.java ]; then
    sed -n 's/.*\<void[[:space:]]\{1,\}\([A-Za-z_$][A-Za-z0-9_$]*\)[[:space:]]*(.*/\1/p' tests.java > cr-test-order.txt
fi
for f in preloaded.java source.java tests.java; do
    [ -f "$f" ] || continue
    name=$(sed -n 's/^[[:space:]]*public[[:space:]]\{1,\}\([a-z]\{1,\}[[:space:]]\{1,\}\)*\(class\|interface\|enum\|record\)[[:space:]]\{1,\}\([A-Za-z_$][A-Za-z0-9_$]*\).*/\3/p' "$f" | head -n 1)
    [ -n "$name" ] || name=CodeRunner_${f%.java}
    if [ -e "$name.java" ]; then
        echo "$f: public type $name is defined twice" >&2
        exit 1
    fi
    mv "$f" "$name.java"
done
exec javac -J-XX:+UseSerialGC -J-XX:-UsePerfData -J-XX:TieredStopAtLevel=1 -J-Duser.home=/tmp \
    -encoding UTF-8 --release 17 -Xmaxerrs 50 -cp "$(cat /opt/coderunner/harness/java/classpath)" -d . ./*.java
