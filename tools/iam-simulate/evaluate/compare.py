#!/usr/bin/env python3
"""Groups the cases where iamguard and the simulator disagree (fyC).
Input: the JSON lines sim.js prints (guard, notes, sim, valid, errors per case); the cases file
(the cases file, third argument) for the policy text. Each difference is tagged with the class it was judged
in (see README.md, "Difference classes"); untagged ones are new and need judging.
Usage: compare.py OUT.jsonl [examples-per-group] [CASES.jsonl]"""
import json, sys, collections, re
rows = [json.loads(l) for l in open(sys.argv[1])]
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 4
cases = {}
for l in open(sys.argv[3] if len(sys.argv) > 3 else 'target/iam-simulate/evaluate-cases.jsonl'):
    c = json.loads(l); cases[c['id']] = c
def norm(s):
    return {'AllowedForAccount': 'Allowed', 'DeniedForAccount': 'ExplicitlyDenied',
            'NotApplicable': 'ImplicitlyDenied'}.get(s, s)
def tag(r, c):
    f = json.dumps(r['features']); p = json.dumps(c['policy']); ctx = c.get('context', {})
    if r['guard'] == 'REJECTED': return 'K0 guard refuses the document (fails closed)'
    if re.search(r'[*?]|\$\{', c.get('resource', '')): return 'H3 request resource holding * ? or ${ (sim reads it as a pattern)'
    if 'ARN:aws' in f: return 'S4 sim: Arn* operators ignore the case of the arn prefix (docs: case-sensitive)'
    if c['policy'].get('Version') != '2012-10-17' and '${' in p: return 'S1 sim resolves variables in a 2008-10-17/no-Version document'
    if re.search(r'\$\{[*?$]\}', p): return 'S2 sim does not read ${*} ${?} ${$} as literals'
    if "'bob'" in p and ",'" in p: return 'U1 default without ", " (guard: default; sim: not a default)'
    if any(isinstance(v, str) and v in ('not-an-arn', 'abc', 'garbage', '+10', '1e1') for v in ctx.values()): return 'H1 request value AWS never sends'
    if 'aws:CurrentTime' in f or 'aws:currenttime' in f: return 'U2 date value forms (4-digit year vs epoch, epoch seconds, no zone)'
    if 'SourceIp' in f or 'sourceip' in f: return 'U3 IP forms (/0, host bits, leading zeros, IPv4-mapped IPv6); sim: 0.0.0.0/0 matches nothing'
    if re.search(r'Max-Keys|max-keys', f, re.I): return 'U4 number forms (1e1, +10, .5)'
    if 'Redshift.amazonaws.com' in f: return 'U5 service principal case (sim case-sensitive, guard folds; undocumented)'
    if 'redshift.us-east-1' in f: return 'H2 regional service principal (harness sends the global name)'
    if '*:GetObject' in f or 's?:GetObject' in f: return 'U6 wildcard in the Action service prefix (sim: invalid)'
    if 'arn:aws:lambda:*' in f and r['cls'] in ('resource', 'multi'): return 'S3 sim: short ARN / 7-field patterns'
    if 'NotPrincipal' in f and r['guard'] == 'ExplicitlyDenied': return 'G1 NotPrincipal must name account, role and session (guard, docs)'
    if r['cls'] in ('set', 'setDeny') and any(isinstance(v, list) and len(v) > 1 for v in ctx.values()) and not r['features'][0].startswith('For'):
        return 'F2 plain operator on several values (fixed: conservative)'
    if r.get('notes') == 'conservative':
        if '${' in f: return 'C1 variable without a value under a negated operator or NotResource (IAM "might" invalidate the statement): conservative'
        if '/path/' in f: return 'C2 role principal under another path (undocumented): conservative'
        if r['cls'] in ('resource', 'multi', 'prefix'): return 'C3 wildcard before the end of a Resource pattern, across a colon: conservative'
    return ''
groups = collections.defaultdict(list)
for r in rows:
    g, s = r['guard'], norm(r.get('sim'))
    if g == s: continue
    c = cases.get(r['id'], {})
    if g == 'REJECTED':
        kind = 'guard-rejects/sim-' + str(s) + ('/sim-valid' if r.get('valid') else '/sim-invalid')
    elif g == 'Allowed':
        kind = 'GUARD-ALLOWS/sim-' + str(s)
    elif s == 'Allowed':
        kind = 'guard-' + g + '/sim-allows' + ('/conservative' if r.get('notes') == 'conservative' else '/DEFINITE')
    else:
        kind = 'guard-' + g + '/sim-' + str(s) + ('/conservative' if r.get('notes') == 'conservative' else '')
    groups[(tag(r, c) or 'NEW', kind, r['cls'])].append(r)
# COPY's prefix question: the guard's answer for every key under a prefix against each sampled key
prefix_groups = collections.defaultdict(list)
for r in rows:
    if r['cls'] == 'prefix':
        prefix_groups[r['features'][0]].append(r)
bad = collections.Counter(); shown = collections.Counter()
for g, rs in prefix_groups.items():
    pg = rs[0]['features'][2].split(' ', 1)[1]
    if pg != 'Allowed': continue
    c = cases.get(rs[0]['id'], {})
    simno = [r for r in rs if norm(r.get('sim')) != 'Allowed' and not re.search(r'[*?]|\$\{', cases.get(r['id'], {}).get('resource', ''))]
    guardno = [r for r in rs if r['guard'] != 'Allowed']
    for kind, lst in (('PREFIX-ALLOWED/sim-refuses-a-key', simno), ('PREFIX-ALLOWED/guard-refuses-a-key', guardno)):
        if lst:
            bad[kind] += 1
            if shown[kind] < limit:
                shown[kind] += 1
                print('==', kind, g, rs[0]['features'][1:], [(cases[r['id']]['resource'][len('arn:aws:s3:::'):], r['guard'], r.get('sim')) for r in lst][:4])
print('prefix groups', len(prefix_groups), 'allowed', sum(1 for rs in prefix_groups.values() if rs[0]['features'][2].endswith('Allowed')), dict(bad))
total = collections.Counter(r['cls'] for r in rows)
print('cases', len(rows), 'differences', sum(len(v) for v in groups.values()), dict(total))
for (t, kind, cls), rs in sorted(groups.items(), key=lambda kv: (kv[0][0] != 'NEW', not kv[0][1].startswith('GUARD'), kv[0])):
    print(f'\n== [{t}] {kind} {cls}: {len(rs)}')
    seen = set()
    for r in rs:
        key = json.dumps(r['features'])
        if key in seen: continue
        seen.add(key)
        c = cases.get(r['id'], {})
        print('  ', r['id'], r['features'], c.get('action'), c.get('resource'), 'guard', r['guard'], 'sim', r.get('sim'),
              (r.get('errors') or [''])[0][:80], r.get('notes', '')[:140] if r['guard'] == 'REJECTED' else '')
        if len(seen) >= limit: break
