#!/usr/bin/env python3
"""fyD harness, seeds: the samples/etl scripts and the AWS-docs corpus, suggested whole (user etl); every
COPY/UNLOAD with IAM_ROLE '<chain>' and a literal s3:// location whose roles all got documents is asked
of the simulator: every hop, ListBucket on its prefix, GetObject (PutObject for UNLOAD) under it.
Usage: seeds.py OUTDIR FILE..."""
import json, os, re, subprocess, sys
# where run.sh put the simulator, the classpath and the compiled driver; the project's root
WORK = os.path.abspath(os.environ.get('IAMSIM_WORK', 'target/iam-simulate'))
SIM = os.path.abspath(os.environ.get('IAMSIM_DIR', os.path.join(WORK, 'sim')))
PROJECT = os.path.abspath(os.environ.get('IAMGUARD_PROJECT', '.'))
OUT, FILES = sys.argv[1], sys.argv[2:]
REGION = 'us-west-2'
cp = open(os.path.join(WORK, 'cp.txt')).read().strip()
with open(os.path.join(OUT, 'seeds.txt'), 'w', encoding='utf-8') as f:
    for i, p in enumerate(FILES):
        f.write('#CASE s%d|0|etl||%s\n' % (i, REGION)); f.write(open(p, encoding='utf-8', errors='replace').read()); f.write('\n#END\n')
res = subprocess.run(['java', '-cp', os.path.join(WORK, 'driver') + ':' + os.path.join(PROJECT, 'target/classes') + ':' + cp, 'SuggestDriver'],
                     stdin=open(os.path.join(OUT, 'seeds.txt'), encoding='utf-8'), capture_output=True, check=True)
docs = {json.loads(l)['id']: json.loads(l) for l in res.stdout.decode().splitlines()}
STMT = re.compile(r"\b(copy|unload)\b(.*?)\b(from|to)\s+'(s3://[^']*)'(.*?)\biam_role\s+'([^']*)'", re.I | re.S)
queries = []
acct = lambda a: a.split(':')[4]
sess = lambda a: 'arn:aws:sts::%s:assumed-role/%s/RedshiftIamRoleSession' % (acct(a), a.rsplit('/', 1)[1])
for i, p in enumerate(FILES):
    d = docs['s%d' % i]
    roles = {r['arn']: r for r in d.get('roles', [])}
    text = open(p, encoding='utf-8', errors='replace').read()
    for m in STMT.finditer(text):
        kind, loc, chain = m.group(1).lower(), m.group(4), m.group(6).split(',')
        if ';' in m.group(0) or not all(r in roles for r in chain) or 'manifest' in m.group(5).lower():
            continue
        b, _, k = loc[5:].partition('/')
        ext = {'sts:ExternalId': 'arn:aws:redshift:%s:123456789012:dbuser:c1/etl' % REGION}
        add = lambda **x: queries.append(dict(id=len(queries), file=os.path.basename(p), stmt=m.group(0)[:160], **x))
        add(principal='redshift.%s.amazonaws.com' % REGION, action='sts:AssumeRole', resource=chain[0], account=acct(chain[0]),
            identity=[], resourcePolicy=roles[chain[0]]['trust'], context=ext)
        for a, c in zip(chain, chain[1:]):
            add(principal=sess(a), action='sts:AssumeRole', resource=c, account=acct(c),
                identity=[roles[a]['permissions']] if roles[a]['permissions'] else [], resourcePolicy=roles[c]['trust'], context=ext)
        last = chain[-1]; I = [roles[last]['permissions']] if roles[last]['permissions'] else []
        add(principal=sess(last), action='s3:ListBucket', resource='arn:aws:s3:::' + b, account=acct(last), identity=I, context={'s3:prefix': k})
        for o in (k, k + '0000_part_00'):
            add(principal=sess(last), action='s3:PutObject' if kind == 'unload' else 's3:GetObject', resource='arn:aws:s3:::%s/%s' % (b, o),
                account=acct(last), identity=I, context={})
with open(os.path.join(OUT, 'seedq.jsonl'), 'w') as f:
    for x in queries: f.write(json.dumps(x) + '\n')
r = subprocess.run(['node', 'sim.mjs'], stdin=open(os.path.join(OUT, 'seedq.jsonl')), capture_output=True, check=True,
                   cwd=SIM, env=dict(os.environ, IAMSIM_CONCRETE='1'))
bad = [(queries[json.loads(l)['id']], json.loads(l)) for l in r.stdout.decode().splitlines() if json.loads(l)['result'] != 'Allowed']
print('seed queries', len(queries), 'from', len(FILES), 'files; not allowed:', len(bad))
for q, o in bad[:10]: print(q['file'], q['action'], q['resource'], q['context'], o)
