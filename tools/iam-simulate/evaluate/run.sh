#!/bin/sh
# iamguard's IAM evaluation (dev.iamguard.policy.iam) against @cloud-copilot/iam-simulate (a second
# opinion, not AWS). Run from the project's root: tools/iam-simulate/evaluate/run.sh [SEED] [ROUNDS]
# (each round writes 25 cases). Needs node and npm, Maven, and a network for npm once.
set -e
SEED=${1:-42}
ROUNDS=${2:-400}
WORK=$(mkdir -p "${IAMSIM_WORK:-target/iam-simulate}" && cd "${IAMSIM_WORK:-target/iam-simulate}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WORK/sim" "$WORK/driver"
if [ ! -d "$WORK/sim/node_modules/@cloud-copilot/iam-simulate" ]; then
  (cd "$WORK/sim" && npm init -y > /dev/null && npm install --no-audit --no-fund @cloud-copilot/iam-simulate@0.1.173 > /dev/null)
fi
mvn -B -q -DskipTests compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" > /dev/null
CP="$WORK/driver:target/classes:$(cat "$WORK/cp.txt")"
javac -d "$WORK/driver" -cp "$CP" "$HERE/IamSimDriver.java"
java -cp "$CP" dev.iamguard.policy.iam.IamSimDriver "$SEED" "$ROUNDS" "$WORK/evaluate-cases.jsonl"
(cd "$WORK/sim" && NODE_PATH="$WORK/sim/node_modules" node "$HERE/sim.js" < "$WORK/evaluate-cases.jsonl" > "$WORK/evaluate-out.jsonl")
python3 "$HERE/compare.py" "$WORK/evaluate-out.jsonl" 6 "$WORK/evaluate-cases.jsonl"
