#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the diagnostics of bench scenarios into the `make bench` table and
bench/results.json. Input: vmtest output files given as LABEL=FILE."""
import json
import re
import statistics
import sys

ROUND = re.compile(r'bench: mode=(\S+) round=(\d+) preserve_us=(\d+) unpreserve_us=(\d+)')
LIVE = re.compile(r'bench: live mode=(\S+) events=(\d+) lost=(\d+)')
BLACKOUT = re.compile(r'bench: blackout mib=(\d+) (.*)$')


def parse_blackout(path):
    """{mib: {'phases': [(name, ns, fields)], 'total_ns': n}} from the
    /sys/kernel/debug/kho/blackout lines of the blackout-scale scenario."""
    out = {}
    with open(path) as f:
        for line in f:
            m = BLACKOUT.search(line)
            if not m:
                continue
            mib = int(m[1])
            kv = dict(x.split('=', 1) for x in m[2].split() if '=' in x)
            d = out.setdefault(mib, {'phases': [], 'total_ns': None})
            if 'phase' in kv and 'ns' in kv:
                d['phases'].append((kv['phase'], int(kv['ns']), kv))
            elif m[2].startswith('total') and 'ns' in kv:
                d['total_ns'] = int(kv['ns'])
    return out


def slope(xs, ys):
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else 0.0


def parse(path):
    rounds, live = {}, {}
    with open(path) as f:
        for line in f:
            m = ROUND.search(line)
            if m:
                rounds.setdefault(m[1], []).append((int(m[3]), int(m[4])))
            m = LIVE.search(line)
            if m:
                live[m[1]] = (int(m[2]), int(m[3]))
    return rounds, live


def spread(samples):
    return {'median_us': statistics.median(samples), 'min_us': min(samples),
            'max_us': max(samples), 'n': len(samples)}


def main():
    runs = dict(a.split('=', 1) for a in sys.argv[2:])
    out_json = sys.argv[1]
    res = {'figures': {}}

    rounds, live = parse(runs['overhead'])
    base = spread([p for p, _ in rounds.get('untraced', [])])
    fig1 = {}
    print('# 1. tracing overhead: 256 MiB memfd preserve, median of rounds (ratio to untraced)')
    print(f'{"mode":<12} {"median ms":>10} {"min-max ms":>16} {"ratio":>7} {"ratio min-max":>14}')
    for mode in ('untraced', 'aggregate', 'live', 'kprobe', 'function'):
        if mode not in rounds:
            continue
        s = spread([p for p, _ in rounds[mode]])
        s['ratio'] = s['median_us'] / base['median_us']
        s['ratio_min'] = s['min_us'] / base['median_us']
        s['ratio_max'] = s['max_us'] / base['median_us']
        fig1[mode] = s
        print(f'{mode:<12} {s["median_us"] / 1000:>10.1f} '
              f'{s["min_us"] / 1000:>7.1f}-{s["max_us"] / 1000:<8.1f} '
              f'{s["ratio"]:>7.2f} {s["ratio_min"]:>6.2f}-{s["ratio_max"]:<7.2f}')
    res['figures']['tracing_overhead'] = fig1
    print('# targets: aggregate <= 1.10, live <= 1.25, both below kprobe and function')

    print('\n# 2. event throughput: khotrace live --raw (one event per folio call)')
    print(f'{"ring buffer":<12} {"events":>8} {"lost":>8} {"loss %":>7} {"events/s":>10}')
    fig2 = {}
    for mode, (ev, lost) in sorted(live.items()):
        if not mode.startswith('raw-'):
            continue
        pre, unp = rounds[mode][0]
        rate = (ev + lost) / ((pre + unp) / 1e6)
        fig2[mode[4:]] = {'events': ev, 'lost': lost, 'events_per_s': rate,
                          'loss_pct': 100.0 * lost / max(1, ev + lost)}
        print(f'{mode[4:]:<12} {ev:>8} {lost:>8} {fig2[mode[4:]]["loss_pct"]:>7.2f} {rate:>10.0f}')
    res['figures']['event_throughput'] = fig2
    print('# target: >= 1M events/s with zero loss (rate = events offered per second of preserve+unpreserve)')

    if 'disabled_patched' in runs and 'disabled_upstream' in runs:
        p = spread([x for x, _ in parse(runs['disabled_patched'])[0].get('untraced', [])])
        u = spread([x for x, _ in parse(runs['disabled_upstream'])[0].get('untraced', [])])
        ratio = p['median_us'] / u['median_us']
        res['figures']['disabled_tracepoint'] = {'patched': p, 'upstream': u, 'ratio': ratio}
        print('\n# 3. disabled-tracepoint cost: untraced preserve, patched vs upstream kernel')
        print(f'patched {p["median_us"] / 1000:.1f} ms, upstream {u["median_us"] / 1000:.1f} ms, '
              f'ratio {ratio:.3f} (target <= 1.01; separate boots)')

    if 'blackout' in runs:
        bo = parse_blackout(runs['blackout'])
        sizes = sorted(k for k, v in bo.items() if v['phases'])
        if sizes:
            fig7 = {'sizes_mib': sizes, 'phases': {}, 'total_ms': {}}
            names = [p[0] for p in bo[sizes[0]]['phases']][:-1]
            print('\n# 7. blackout vs preserved memory (memfd held in a Live Update session)')
            print(f'{"phase":<14}' + ''.join(f'{str(m) + " MiB":>11}' for m in sizes) + f'{"ms/GiB":>9}')
            for i, name in enumerate(names):
                ys = []
                for m in sizes:
                    ph = bo[m]['phases']
                    ys.append((ph[i + 1][1] - ph[i][1]) / 1e6 if i + 1 < len(ph) else 0.0)
                k = slope([m / 1024 for m in sizes], ys)
                fig7['phases'][name] = {'ms': ys, 'ms_per_gib': k}
                print(f'{name:<14}' + ''.join(f'{y:>11.1f}' for y in ys) + f'{k:>9.1f}')
            tot = [(bo[m]['total_ns'] or 0) / 1e6 for m in sizes]
            k = slope([m / 1024 for m in sizes], tot)
            fig7['total_ms'] = {'ms': tot, 'ms_per_gib': k}
            print(f'{"total":<14}' + ''.join(f'{y:>11.1f}' for y in tot) + f'{k:>9.1f}')
            last = bo[sizes[-1]]['phases']
            for name, _, kv in last:
                if name == 'retrieve' and 'ranges' in kv:
                    i = [p[0] for p in last].index('retrieve')
                    ms = (last[i + 1][1] - last[i][1]) / 1e6
                    per10k = ms / max(1, int(kv['ranges'])) * 1e4
                    fig7['retrieve_ms_per_10k_ranges'] = per10k
                    print(f'# retrieve at {sizes[-1]} MiB: {kv["ranges"]} ranges, {per10k:.2f} ms per 10k ranges')
            res['figures']['blackout_scaling'] = fig7

    if 'cycle' in runs:
        walls = {}
        with open(runs['cycle']) as f:
            for line in f:
                m = re.match(r'# (cycle|minimal): .*\(([0-9.]+) s\)$', line)
                if m:
                    walls[m[1]] = float(m[2])
        if 'cycle' in walls and 'minimal' in walls and walls['minimal'] > 0:
            r = walls['cycle'] / walls['minimal']
            res['figures']['cycle_time'] = {'khotrace_cycle_s': walls['cycle'],
                                            'minimal_cycle_s': walls['minimal'], 'ratio': r}
            print('\n# 4. cycle time: full khotrace cycle vs upstream-style minimal cycle (same kernel)')
            print(f'khotrace cycle {walls["cycle"]:.1f} s, minimal {walls["minimal"]:.1f} s, ratio {r:.2f}')

    if 'verify' in runs:
        got = {}
        with open(runs['verify']) as f:
            for line in f:
                m = re.search(r'bench: (snapshot|verify) bytes=(\d+) us=(\d+)', line)
                if m:
                    got[m[1]] = (int(m[2]), int(m[3]))
                m = re.search(r'memcpy_bytes=(\d+) memcpy_us=(\d+)', line)
                if m:
                    got['memcpy'] = (int(m[1]), int(m[2]))
        if all(k in got and got[k][1] for k in ('snapshot', 'memcpy')):
            rate = {k: v[0] / v[1] for k, v in got.items() if v[1]}
            fig5 = {k: {'bytes': v[0], 'us': v[1]} for k, v in got.items()}
            fig5['ratio'] = rate['snapshot'] / rate['memcpy']
            res['figures']['verify_rate'] = fig5
            print('\n# 5. checksum rate: every preserved byte crc32c-ed by the kernel for khotrace, vs memcpy')
            for k in ('snapshot', 'verify', 'memcpy'):
                if k in got and got[k][1]:
                    print(f'{k:<9} {got[k][0] >> 20:>5} MiB in {got[k][1] / 1000:>6.0f} ms  {rate[k]:>7.0f} MB/s')
            print(f'ratio snapshot/memcpy {fig5["ratio"]:.2f} (target >= 0.5; with kho_crc=on the new '
                  f'kernel checksums at boot and verify only compares)')

    builds = {k[6:]: float(v) for k, v in runs.items() if k.startswith('build_')}
    if builds:
        res['figures']['build_seconds'] = builds
        print('\n# 6. kernel build (informational, last build of each flavour, with ccache state as found)')
        for k, v in builds.items():
            print(f'{k:<12} {v:.0f} s')

    with open(out_json, 'w') as f:
        json.dump(res, f, indent=2)
    print(f'\nwrote {out_json}')


if __name__ == '__main__':
    main()
