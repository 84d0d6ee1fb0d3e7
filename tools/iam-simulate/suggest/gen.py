#!/usr/bin/env python3
"""fyD harness: generate classes of scripts, suggest --format iam (SuggestDriver, in process), and ask
@cloud-copilot/iam-simulate (sim.mjs) about every AWS request each statement implies (must be
Allowed) and neighbour requests (must be denied). Usage: gen.py SEED N OUTDIR"""
import json, random, subprocess, sys, os, urllib.parse, collections
# where run.sh put the simulator, the classpath and the compiled driver; the project's root
WORK = os.path.abspath(os.environ.get('IAMSIM_WORK', 'target/iam-simulate'))
SIM = os.path.abspath(os.environ.get('IAMSIM_DIR', os.path.join(WORK, 'sim')))
PROJECT = os.path.abspath(os.environ.get('IAMGUARD_PROJECT', '.'))

SEED, N, OUT = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
HERE = os.path.dirname(os.path.abspath(__file__))
rnd = random.Random(SEED)
REGION = 'us-west-2'
ACCTS = ['123456789012', '210987654321', '333333333333']
NAMES = ['RoleA', 'RoleB', 'Loader', 'hop-2', 'Partner', 'x.y@z', 'Role+=,Q']
PATHS = ['/', '/', '/', '/etl/', '/a/b/']
USERS = ['etl', 'loader', 'bob', 'u_1', 'ana', 'etl$x', 'Mixed']
BUCKETS = ['lake-a', 'lake-a-x', 'lake.b', 'companyb']
SEGS = ['data', 'data/2024', 'data/2024x', 'data/2024/', 'data/2024/01/', 'out/venue_', 'out/venue',
        'rep', 'rep/', 'a*b/', 'q?x', 'cost$1/', 'p%20q/', 'p q/', 'pct%/', 'donn\u00e9es/\u00e9t\u00e9_',
        '\u6570\u636e/', 'k${aws:username}/', 'x{y}/', 'run=1/', 'z/', 'dot.', '-dash', 'a//b', 'emoji\U0001F600/',
        'x#y', 'AbC/', 'data/2024-01-01/', 'data/2024-01-02/']
SQ = "'"

def role():
    return 'arn:aws:iam::%s:role%s%s' % (rnd.choice(ACCTS), rnd.choice(PATHS), rnd.choice(NAMES))

def chain(default):
    r = rnd.random()
    if r < 0.15:
        return 'DEFAULT', [default]
    n = 1 if r < 0.55 else (2 if r < 0.85 else 3)
    roles = [role() for _ in range(n)]
    return SQ + ','.join(roles) + SQ, roles

def key():
    k = rnd.choice(SEGS)
    if rnd.random() < 0.4:
        k = k.rstrip('/') + '/' + rnd.choice(SEGS)
    return k

def case(i):
    default = role()
    users = rnd.sample(USERS, rnd.randint(1, 3))
    stmts = []
    cur = tuple(users)  # before any SET SESSION AUTHORIZATION every --user may run the script
    for _ in range(rnd.randint(1, 5)):
        if len(users) > 1 and rnd.random() < 0.3:
            cur = (rnd.choice(users),)
            stmts.append(('set', "SET SESSION AUTHORIZATION '%s'" % cur[0], cur, None, None))
        auth, roles = chain(default)
        kind = rnd.choice(['copy', 'copy', 'copyman', 'copyjson', 'unload', 'unload', 'lambda', 'glue', 'library', 'unloadkms'])
        b, k = rnd.choice(BUCKETS), key()
        loc = 's3://%s/%s' % (b, k)
        if kind == 'copy':
            sql = "COPY t FROM '%s' IAM_ROLE %s" % (loc, auth)
            info = dict(bucket=b, key=k)
        elif kind == 'copyman':
            k = k.rstrip('/') + '.manifest'
            sql = "COPY t FROM 's3://%s/%s' IAM_ROLE %s MANIFEST" % (b, k, auth)
            info = dict(bucket=b, key=k)
        elif kind == 'copyjson':
            jb, jk = rnd.choice(BUCKETS), 'jp/' + rnd.choice(['paths.json', 'a*.json', 'p$.json'])
            sql = "COPY t FROM '%s' IAM_ROLE %s JSON 's3://%s/%s'" % (loc, auth, jb, jk)
            info = dict(bucket=b, key=k, jbucket=jb, jkey=jk)
        elif kind == 'unload':
            opts = rnd.choice(['', ' MANIFEST', ' CLEANPATH', ' ALLOWOVERWRITE'])
            sql = "UNLOAD ('select 1') TO '%s' IAM_ROLE %s%s" % (loc, auth, opts)
            info = dict(bucket=b, key=k, opts=opts)
        elif kind == 'library':
            k = k.rstrip('/') + '.zip'
            sql = "CREATE LIBRARY lib_%d LANGUAGE plpythonu FROM 's3://%s/%s' IAM_ROLE %s" % (rnd.randint(0, 99), b, k, auth)
            info = dict(bucket=b, key=k)
        elif kind == 'unloadkms':
            kid = 'arn:aws:kms:%s:%s:key/%s' % (REGION, roles[-1].split(':')[4], rnd.choice(['1234abcd-12ab-34cd-56ef-1234567890ab', 'mrk-1', 'abc']))
            sql = "UNLOAD ('select 1') TO '%s' IAM_ROLE %s KMS_KEY_ID '%s' ENCRYPTED" % (loc, auth, kid)
            info = dict(bucket=b, key=k, opts='', kms=kid)
        elif kind == 'lambda':
            fn = rnd.choice(['fn', 'fn2', 'exampleLambdaFunction', 'f-1'])
            sql = "CREATE EXTERNAL FUNCTION f_%d(int) RETURNS int STABLE LAMBDA '%s' IAM_ROLE %s" % (rnd.randint(0, 99), fn, auth)
            info = dict(fn=fn)
        else:
            db = rnd.choice(['exampledb', 'sales', 'Sales2'])
            sql = "CREATE EXTERNAL SCHEMA s_%d FROM DATA CATALOG DATABASE '%s' REGION '%s' IAM_ROLE %s" % (rnd.randint(0, 99), db, REGION, auth)
            info = dict(db=db)
        stmts.append((kind, sql, cur, roles, info))
    return dict(id='c%d' % i, users=users, default=default, stmts=stmts, depth=rnd.choice([0, 0, 0, 1, 2]))

def acct(arn): return arn.split(':')[4]
def name(arn): return arn.rsplit('/', 1)[1]
def session(arn): return 'arn:aws:sts::%s:assumed-role/%s/RedshiftIamRoleSession' % (acct(arn), name(arn))
def dbuser(u): return 'arn:aws:redshift:%s:123456789012:dbuser:c1/%s' % (REGION, u.lower())  # unquoted names fold to lower case

def readings(k):
    """The readings the README says suggest grants for (decoded escapes, cut at ? or #)."""
    out = {k}
    try:
        out.add(urllib.parse.unquote(k, errors='strict'))
    except Exception:
        pass
    for c in '?#':
        for r in list(out):
            if c in r:
                out.add(r.split(c, 1)[0])
    return out

cases = [case(i) for i in range(N)]
with open(os.path.join(OUT, 'cases.txt'), 'w', encoding='utf-8') as f:
    for c in cases:
        f.write('#CASE %s|%d|%s|%s|%s\n' % (c['id'], c['depth'], ','.join(c['users']), c['default'], REGION))
        for s in c['stmts']:
            f.write(s[1] + ';\n')
        f.write('#END\n')
cp = open(os.path.join(WORK, 'cp.txt')).read().strip()
res = subprocess.run(['java', '-cp', os.path.join(WORK, 'driver') + ':' + os.path.join(PROJECT, 'target/classes') + ':' + cp, 'SuggestDriver'],
                     stdin=open(os.path.join(OUT, 'cases.txt'), encoding='utf-8'), capture_output=True, check=True)
docs = {}
for line in res.stdout.decode('utf-8').splitlines():
    d = json.loads(line)
    docs[d['id']] = d
json.dump(docs, open(os.path.join(OUT, 'docs.json'), 'w'), ensure_ascii=False)

queries = []
def q(c, klass, expect, principal, action, resource, account, identity, rp=None, ctx=None, stmt=''):
    if c['depth'] and expect == 'Denied' and action.startswith('s3:'): return  # --prefix-depth widens on purpose
    if '$' in (ctx or {}).get('sts:ExternalId', ''): klass += '-dollar-user'
    queries.append(dict(id=len(queries), case=c['id'], klass=klass, expect=expect, stmt=stmt, principal=principal,
                        action=action, resource=resource, account=account, identity=identity,
                        resourcePolicy=rp, context=ctx or {}))

for c in cases:
    d = docs[c['id']]
    if 'exception' in d:
        print('EXCEPTION', c['id'], d['exception']); continue
    gaplines = {g['line'] for g in d['gaps']}
    roles = {r['arn']: r for r in d['roles']}
    ident = lambda arn: [roles[arn]['permissions']] if arn in roles and roles[arn]['permissions'] else []
    trust = lambda arn: roles[arn]['trust'] if arn in roles else {'Version': '2012-10-17', 'Statement': []}
    # independent model of what each last role needs (for least: a neighbour inside a need is not a finding)
    need = collections.defaultdict(lambda: dict(read=set(), readkey=set(), write=set(), delete=set(), list=set(), fn=set(), db=set()))
    prev_of = collections.defaultdict(set); next_of = collections.defaultdict(set); first = set()
    users_of = collections.defaultdict(set); users_first = collections.defaultdict(set); users_edge = collections.defaultdict(set)
    for line, s in enumerate(c['stmts'], 1):
        kind, sql, user, rl, info = s
        kind = {'library': 'copyman', 'unloadkms': 'unload'}.get(kind, kind)
        if kind == 'set' or line in gaplines: continue
        first.add(rl[0]); users_first[rl[0]].update(user)
        for a, b in zip(rl, rl[1:]): users_edge[(a, b)].update(user)
        for a, b in zip(rl, rl[1:]): prev_of[b].add(a); next_of[a].add(b)
        for r in rl: users_of[r].update(user)
        n = need[rl[-1]]
        if kind in ('copy', 'copyjson', 'unload'):
            for k in readings(info['key']):
                (n['write'] if kind == 'unload' else n['read']).add((info['bucket'], k)); n['list'].add((info['bucket'], k))
                if kind == 'unload': n['read'].add((info['bucket'], k))
                if kind == 'unload' and 'CLEANPATH' in info['opts']: n['delete'].add((info['bucket'], k))
            if kind == 'copyjson': n['readkey'].add((info['jbucket'], info['jkey']))
        if kind == 'copyman': n['readkey'].add((info['bucket'], info['key'])); n['list'].add((info['bucket'], info['key']))
        if kind == 'lambda': n['fn'].add(info['fn'])
        if kind == 'glue': n['db'].add(info['db']); n['db'].add(info['db'].lower())
    def s3need(arn, action, b, k):
        n = need[arn]
        pre = lambda ks: any(bb == b and k.startswith(kk) for bb, kk in ks)
        if action == 's3:GetObject': return pre(n['read']) or pre(n['write']) or (b, k) in n['readkey']
        if action == 's3:PutObject': return pre(n['write'])
        if action == 's3:DeleteObject': return pre(n['delete'])
    def listneed(arn, b, p):
        n = need[arn]
        return any(bb == b and p.startswith(kk) for bb, kk in n['list'] | n['read'] | n['write'])

    for line, s in enumerate(c['stmts'], 1):
        kind, sql, user, rl, info = s
        kms = info.get('kms') if info else None
        kind = {'library': 'copyman', 'unloadkms': 'unload'}.get(kind, kind)
        if kind == 'set': continue
        if line in gaplines:
            q(c, 'gap', 'any', 'x', 'sts:AssumeRole', rl[0], acct(rl[0]), [], stmt=sql); continue
        ext = {'sts:ExternalId': dbuser(user[-1])}  # completeness is asked for one runner; the edge classes below ask for every user
        svc = 'redshift.%s.amazonaws.com' % REGION
        # completeness: every hop
        for runner in user:  # every user who may run the statement, at every hop
            rext = {'sts:ExternalId': dbuser(runner)}
            q(c, 'hop0', 'Allowed', svc, 'sts:AssumeRole', rl[0], acct(rl[0]), [], trust(rl[0]), rext, sql)
            for a, b in zip(rl, rl[1:]):
                q(c, 'hop', 'Allowed', session(a), 'sts:AssumeRole', b, acct(b), ident(a), trust(b), rext, sql)
        # least: trust neighbours
        if rl[0] not in prev_of or True:
            q(c, 'n-hop0-region', 'Denied', 'redshift.eu-west-1.amazonaws.com', 'sts:AssumeRole', rl[0], acct(rl[0]), [], trust(rl[0]), ext, sql)
            q(c, 'n-hop0-user', 'Denied', svc, 'sts:AssumeRole', rl[0], acct(rl[0]), [], trust(rl[0]), {'sts:ExternalId': dbuser('intruder')}, sql)
            q(c, 'n-hop0-nouser', 'Denied', svc, 'sts:AssumeRole', rl[0], acct(rl[0]), [], trust(rl[0]), {}, sql)
        for u in c['users']:
            if u not in users_first[rl[0]]:
                q(c, 'n-edge-hop0-user', 'Denied', svc, 'sts:AssumeRole', rl[0], acct(rl[0]), [], trust(rl[0]), {'sts:ExternalId': dbuser(u)}, sql)
            for a, b in zip(rl, rl[1:]):
                if u not in users_edge[(a, b)]:
                    q(c, 'n-edge-hop-user', 'Denied', session(a), 'sts:AssumeRole', b, acct(b), ident(a), trust(b), {'sts:ExternalId': dbuser(u)}, sql)
        for a, b in zip(rl, rl[1:]):
            other = 'arn:aws:iam::%s:role/Intruder' % acct(a)
            q(c, 'n-hop-principal', 'Denied', session(other), 'sts:AssumeRole', b, acct(b), [{'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'sts:AssumeRole', 'Resource': '*'}]}], trust(b), ext, sql)
            q(c, 'n-hop-user', 'Denied', session(a), 'sts:AssumeRole', b, acct(b), ident(a), trust(b), {'sts:ExternalId': dbuser('intruder')}, sql)
            nb = b.rsplit('/', 1)[0] + '/' + name(b) + 'X'
            if nb not in next_of[a]:
                q(c, 'n-hop-next', 'Denied', session(a), 'sts:AssumeRole', nb, acct(nb), ident(a), {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::%s:root' % acct(a)}, 'Action': 'sts:AssumeRole'}]}, ext, sql)
        last = rl[-1]; P = session(last); A = acct(last); I = ident(last)
        def s3(klass, action, b, k, expect):
            if expect == 'Denied' and s3need(last, action, b, k): return
            q(c, klass, expect, P, action, 'arn:aws:s3:::%s/%s' % (b, k), A, I, None, {}, sql)
        def ls(klass, b, p, expect):
            if expect == 'Denied' and listneed(last, b, p): return
            q(c, klass, expect, P, 's3:ListBucket', 'arn:aws:s3:::%s' % b, A, I, None, {'s3:prefix': p}, sql)
        if kind in ('copy', 'copyjson', 'unload'):
            b, k = info['bucket'], info['key']
            ls('list', b, k, 'Allowed')
            objs = [k + sfx for sfx in ('', '0000_part_00', '/part-0.gz', 'x', '0001_part_00.gz')] if not k.endswith('/') else [k + 'part-0', k + 'sub/f.gz']
            if kind == 'unload':
                for o in objs:
                    s3('put', 's3:PutObject', b, o, 'Allowed'); s3('get-written', 's3:GetObject', b, o, 'Allowed')
                if 'MANIFEST' in info['opts']: s3('put-manifest', 's3:PutObject', b, k + 'manifest', 'Allowed')
                if 'CLEANPATH' in info['opts']: s3('delete', 's3:DeleteObject', b, k + '0000_part_00', 'Allowed')
            else:
                for o in objs: s3('get', 's3:GetObject', b, o, 'Allowed')
                s3('n-put-on-read', 's3:PutObject', b, objs[0] + '1', 'Denied')
            if kind == 'copyjson': s3('get-jsonpaths', 's3:GetObject', info['jbucket'], info['jkey'], 'Allowed')
            # neighbours: siblings sharing a beginning, wildcard-looking chars taken literally, other bucket
            for sib in {k[:-1] + ('y' if k[-1:] != 'y' else 'z') + 'q', k[:-1], 'other/' + k, k.replace('*', 'X').replace('?', 'Y').replace('$', 'D') + 'w'}:
                if sib != k and not sib.startswith(k):
                    s3('n-get-sibling', 's3:GetObject', b, sib, 'Denied')
                    ls('n-list-sibling', b, sib, 'Denied')
            s3('n-get-otherbucket', 's3:GetObject', b + '-other', k + 'x', 'Denied')
            ls('n-list-root', b, '', 'Denied')
            s3('n-delete', 's3:DeleteObject', b, k + '0000_part_00', 'Denied')
        if kms:
            kp = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::%s:root' % A}, 'Action': 'kms:*', 'Resource': '*'}]}
            for act in ('kms:GenerateDataKey', 'kms:Decrypt'):
                q(c, 'kms', 'Allowed', P, act, kms, A, I, kp, {}, sql)
            q(c, 'n-kms-other', 'Denied', P, 'kms:Decrypt', kms + '0', A, I, kp, {}, sql)
        # a role before the last one of a chain gets no S3 access from this statement, and Redshift cannot start a chain at it
        for mid in rl[:-1]:
            if kind in ('copy', 'copyjson', 'unload', 'copyman') and not s3need(mid, 's3:GetObject', info['bucket'], info['key'] + ('' if kind == 'copyman' else 'zz')):
                q(c, 'n-mid-s3', 'Denied', session(mid), 's3:GetObject', 'arn:aws:s3:::%s/%s' % (info['bucket'], info['key'] + ('' if kind == 'copyman' else 'zz')), acct(mid), ident(mid), None, {}, sql)
        for later in rl[1:]:
            if later not in first:
                q(c, 'n-hop0-later', 'Denied', 'redshift.%s.amazonaws.com' % REGION, 'sts:AssumeRole', later, acct(later), [], trust(later), ext, sql)
        if kind == 'copyman':
            b, k = info['bucket'], info['key']
            s3('get-manifest', 's3:GetObject', b, k, 'Allowed')
            s3('n-manifest-under', 's3:GetObject', b, k + '/x', 'Denied')
            s3('n-manifest-longer', 's3:GetObject', b, k + 'x', 'Denied')
        if kind == 'lambda':
            arn = 'arn:aws:lambda:%s:%s:function:%s' % (REGION, A, info['fn'])
            q(c, 'lambda', 'Allowed', P, 'lambda:InvokeFunction', arn, A, I, None, {}, sql)
            if info['fn'] + 'x' not in need[last]['fn']:
                q(c, 'n-lambda', 'Denied', P, 'lambda:InvokeFunction', arn + 'x', A, I, None, {}, sql)
        if kind == 'glue':
            db = info['db']; pre = 'arn:aws:glue:%s:123456789012:' % REGION  # the cluster's catalog (no CATALOG_ID); account field = the role's: identity policy only
            for act in ('glue:GetDatabase', 'glue:GetTables'):
                for r in (pre + 'catalog', pre + 'database/' + db.lower()):
                    q(c, 'glue', 'Allowed', P, act, r, A, I, None, {}, sql)
            q(c, 'glue', 'Allowed', P, 'glue:GetTable', pre + 'table/' + db.lower() + '/t1', A, I, None, {}, sql)
            if db.lower() + 'x' not in need[last]['db']:
                q(c, 'n-glue', 'Denied', P, 'glue:GetTable', pre + 'table/' + db.lower() + 'x/t1', A, I, None, {}, sql)
            q(c, 'n-glue-write', 'Denied', P, 'glue:DeleteTable', pre + 'table/' + db.lower() + '/t1', A, I, None, {}, sql)

with open(os.path.join(OUT, 'queries.jsonl'), 'w', encoding='utf-8') as f:
    for x in queries:
        if x['expect'] != 'any': f.write(json.dumps(x, ensure_ascii=False) + '\n')
r = subprocess.run(['node', os.path.join(SIM, 'sim.mjs')], stdin=open(os.path.join(OUT, 'queries.jsonl'), encoding='utf-8'),
                   capture_output=True, check=True, cwd=SIM, env=dict(os.environ, IAMSIM_CONCRETE='1'))
results = {}
for line in r.stdout.decode('utf-8').splitlines():
    o = json.loads(line); results[o['id']] = o
byclass = collections.Counter(); bad = collections.defaultdict(list)
for x in queries:
    if x['expect'] == 'any': byclass['gap'] += 1; continue
    o = results[x['id']]
    got = o['result']
    ok = (got == 'Allowed') if x['expect'] == 'Allowed' else (got in ('ImplicitlyDenied', 'ExplicitlyDenied'))
    byclass[(x['klass'], 'ok' if ok else ('ERR' if got == 'error' else 'FAIL'))] += 1
    if not ok: bad[x['klass']].append(dict(q=x, got=o))
json.dump(bad, open(os.path.join(OUT, 'failures.json'), 'w'), ensure_ascii=False, indent=1)
for k, v in sorted(byclass.items(), key=str): print(k, v)
print('queries', len(queries), 'cases', len(cases))
