#!/bin/sh
# Judges the IAM documents `iamguard suggest` writes with @cloud-copilot/iam-simulate (a second
# opinion, not AWS). Run from the project's root: tools/iam-simulate/suggest/run.sh [SEED] [SCRIPTS]
# Needs node and npm (Debian: apt-get install -y nodejs npm), Maven and a network for npm once.
set -e
SEED=${1:-6}
COUNT=${2:-3000}
WORK=${IAMSIM_WORK:-target/iam-simulate}
HERE=tools/iam-simulate/suggest
mkdir -p "$WORK/sim" "$WORK/driver" "$WORK/run-$SEED"
if [ ! -d "$WORK/sim/node_modules/@cloud-copilot/iam-simulate" ]; then
  (cd "$WORK/sim" && npm init -y > /dev/null && npm install --no-audit --no-fund @cloud-copilot/iam-simulate@0.1.173 > /dev/null)
fi
cp "$HERE/sim.mjs" "$WORK/sim/"
sh "$HERE/patch-simulator.sh" "$WORK/sim" > /dev/null
mvn -B -q -DskipTests compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" > /dev/null
javac -d "$WORK/driver" -cp "target/classes:$(cat "$WORK/cp.txt")" "$HERE/SuggestDriver.java"
python3 "$HERE/gen.py" "$SEED" "$COUNT" "$WORK/run-$SEED"
