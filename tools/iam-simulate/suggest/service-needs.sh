#!/bin/sh
# Asks @cloud-copilot/iam-simulate (a second opinion, not AWS) the requests SuggestServiceNeedsTest asks
# iamguard's evaluator of the documents suggest writes for Redshift ML, SageMaker and Bedrock functions
# and federated schemas: every request a statement makes (Allowed) and its neighbours (Denied), trust
# by SageMaker, Bedrock, Forecast and Lambda included. Expected result: every class 'ok' but
# 'secretsmanager:GetSecretValue cross-account', where the simulator (rightly) asks for the secret's resource
# policy, which suggest lists as not granted (complete: false). Run from the project's root:
#   tools/iam-simulate/suggest/service-needs.sh
# Needs node and npm (npm fetches the simulator once into target/iam-simulate/sim) and Maven.
set -e
WORK=${IAMSIM_WORK:-target/iam-simulate}
HERE=tools/iam-simulate/suggest
mkdir -p "$WORK/sim"
if [ ! -d "$WORK/sim/node_modules/@cloud-copilot/iam-simulate" ]; then
  (cd "$WORK/sim" && npm init -y > /dev/null && npm install --no-audit --no-fund @cloud-copilot/iam-simulate@0.1.173 > /dev/null)
fi
cp "$HERE/sim.mjs" "$WORK/sim/"
sh "$HERE/patch-simulator.sh" "$WORK/sim" > /dev/null
OUT="$(pwd)/$WORK/service-needs.jsonl"
rm -f "$OUT"
mvn -B -o -q test -Dtest=SuggestServiceNeedsTest -Dsurefire.failIfNoSpecifiedTests=false -Diamguard.simulate.out="$OUT" > /dev/null
(cd "$WORK/sim" && IAMSIM_CONCRETE=1 node sim.mjs < "$OUT") > "$WORK/service-needs.out"
python3 - "$OUT" "$WORK/service-needs.out" <<'PY'
import collections, json, sys
asked = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
got = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
counts = collections.Counter(); bad = []
for q, r in zip(asked, got):
    ok = (r['result'] == 'Allowed') == (q['expect'] == 'Allowed') and r['result'] != 'error'
    klass = q['action'] + (' from ' + q['principal'] if not q['principal'].startswith('arn:') else '')
    if q['principal'].startswith('arn:') and q['account'] != q['principal'].split(':')[4]:
        # another account's resource: its resource policy decides too, which suggest lists as not granted
        klass += ' cross-account (ungranted: resource policy)'
    counts[(klass, q['expect'], 'ok' if ok else 'DIFF')] += 1
    if not ok: bad.append((q['id'], q['expect'], r))
for k, v in sorted(counts.items()): print(k, v)
for b in bad[:20]: print('DIFF', b)
print('requests', len(asked), 'differences', len(bad))
PY
