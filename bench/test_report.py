#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""KTAP checks of bench/report.py's verdicts, on made-up scenario output:
the interval of a median, and figure 1's and figure 4's targets met or
MISSED. No VM: make check runs it (selftests/run.sh, suite bench-report)."""
import importlib.util
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPORT = os.path.join(HERE, 'report.py')
spec = importlib.util.spec_from_file_location('report', REPORT)
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)

results = []


def check(ok, desc, why=''):
    results.append((bool(ok), desc, why))


def run_report(**inputs):
    """report.py's stdout for scenario outputs given as LABEL=TEXT"""
    with tempfile.TemporaryDirectory() as tmp:
        args = []
        for label, text in inputs.items():
            path = os.path.join(tmp, label)
            with open(path, 'w') as f:
                f.write(text)
            args.append(f'{label}={path}')
        out = subprocess.run([sys.executable, REPORT, os.path.join(tmp, 'r.json')] + args,
                             capture_output=True, text=True, check=False)
    return out.stdout + out.stderr


def line_of(text, start):
    return next((l for l in text.splitlines() if l.startswith(start)), '')


def overhead(rounds, factors):
    """figure 1's diagnostics: each mode's preserve time in every round, a
    factor of untraced's (which moves from round to round, as the host)"""
    out = []
    for n in range(1, rounds + 1):
        base = 40000 + 997 * (n % 7)
        for mode, k in factors.items():
            out.append(f'# hop0: bench: mode={mode} round={n} preserve_us={int(base * k)} '
                       'unpreserve_us=1000')
    return '\n'.join(out) + '\n'


def cycles(runs, ratio):
    out = []
    for n in range(runs):
        mini = 6.0 + 0.1 * (n % 4)
        out.append(f'# minimal: bench: the minimal KHO cycle ({mini:.1f} s)')
        out.append(f'# cycle: the main job ({mini * ratio:.1f} s)')
    return '\n'.join(out) + '\n'


# The 95 % interval of a median: order statistics k and n - k + 1, as the
# tables of the sign test give them
xs = list(range(1, 61))
for n, k in ((5, None), (6, 1), (9, 2), (25, 8), (60, 22)):
    got = report.median_interval(xs[:n])
    want = (k, n - k + 1) if k else None
    check(got == want, f'median_interval of {n} samples is {want}', f'got {got}')

peers = {'kprobe': 2.9, 'function': 4.1}
good = run_report(overhead=overhead(25, {'untraced': 1.0, 'floor-tp': 1.2, 'aggregate': 1.26,
                                         'live': 1.44, **peers}))
agg = line_of(good, '#   aggregate ')
check(' 1.05 x floor' in agg and agg.endswith(' met'),
      'figure 1: aggregate at 1.05 x floor meets <= 1.10', agg)
check(line_of(good, '#   live ').endswith(' met'), 'figure 1: live at 1.20 x floor meets <= 1.25',
      line_of(good, '#   live '))
check(line_of(good, '#   aggregate and live below').endswith(': met'),
      'figure 1: both below the peers', line_of(good, '#   aggregate and live below'))

bad = run_report(overhead=overhead(25, {'untraced': 1.0, 'floor-tp': 1.2, 'aggregate': 1.44,
                                        'live': 1.44, 'kprobe': 1.3, 'function': 4.1}))
check(line_of(bad, '#   aggregate ').endswith('MISSED'),
      'figure 1: aggregate at 1.20 x floor misses <= 1.10', line_of(bad, '#   aggregate '))
check(line_of(bad, '#   aggregate and live below').endswith('MISSED'),
      'figure 1: a kprobe cheaper than aggregate is a miss',
      line_of(bad, '#   aggregate and live below'))
none = run_report(overhead=overhead(25, {'untraced': 1.0, 'floor-tp': 1.2}))
check(line_of(none, '#   aggregate ').endswith('MISSED'),
      'figure 1: no aggregate rounds is a miss, not a pass', line_of(none, '#   aggregate '))

ok = run_report(overhead='', cycle=cycles(9, 1.1))
check(line_of(ok, '# target <= 1.2: met, 95 % interval'),
      'figure 4: a cycle at 1.1 x minimal meets <= 1.2, with an interval',
      line_of(ok, '# target <= 1.2'))
slow = run_report(overhead='', cycle=cycles(9, 1.3))
check(line_of(slow, '# target <= 1.2: MISSED'), 'figure 4: a cycle at 1.3 x minimal misses',
      line_of(slow, '# target <= 1.2'))
few = run_report(overhead='', cycle=cycles(5, 1.1))
check(line_of(few, '# target <= 1.2: met (too few runs'),
      'figure 4: 5 runs are judged, and say they have no interval',
      line_of(few, '# target <= 1.2'))

print('TAP version 13')
for i, (good_, desc, why) in enumerate(results, 1):
    print(f'{"ok" if good_ else "not ok"} {i} {desc}' + ('' if good_ else f' # {why}'))
print(f'1..{len(results)}')
failed = sum(not r[0] for r in results)
print(f'# Totals: pass:{len(results) - failed} fail:{failed} xfail:0 xpass:0 skip:0 error:0')
sys.exit(1 if failed else 0)
