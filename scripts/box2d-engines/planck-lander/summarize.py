"""Summary of the per-seed eval means in train-*.log and validate-wasm-seed0.log: seeds 0-4, 0-9 and 0-19 per engine,
seeds reaching the target, and a Welch t-test and Mann-Whitney U test between the engines (scipy).
    python3 scripts/box2d-engines/planck-lander/summarize.py"""
import os, re, statistics as st
from scipy import stats
D = os.path.dirname(os.path.abspath(__file__))
res = {}
for f in ['validate-wasm-seed0.log', 'train-counted.log', 'train-planck.log', 'train-more.log']:
    for line in open(os.path.join(D, f)):
        m = re.match(r'(Counted-)?(\S+) seed (\d+): eval (-?[\d.]+)', line)
        if m:
            k = (m.group(2), int(m.group(3)))
            v = float(m.group(4))
            assert res.get(k, v) == v, (k, res[k], v)  # instrumented and plain runs agree
            res[k] = v
TARGET = {'LunarLander-v3': 100, 'LunarLanderContinuous-v3': 200}
for env, t in TARGET.items():
    w = [res[(env, s)] for s in range(20)]
    p = [res[('Planck' + env, s)] for s in range(20)]
    for n in (5, 10, 20):
        a, b = w[:n], p[:n]
        print(f'{env} seeds 0-{n-1}: box2d-wasm {st.mean(a):.1f} ± {st.pstdev(a):.1f} ({sum(x >= t for x in a)}/{n} >= {t}), median {st.median(a):.1f}; '
              f'planck {st.mean(b):.1f} ± {st.pstdev(b):.1f} ({sum(x >= t for x in b)}/{n} >= {t}), median {st.median(b):.1f}'
              + (f'; Welch p = {stats.ttest_ind(a, b, equal_var=False).pvalue:.3f}, Mann-Whitney p = {stats.mannwhitneyu(a, b).pvalue:.3f}' if n > 5 else ''))
    print(f'  box2d-wasm: {", ".join(f"{x:.1f}" for x in w)}')
    print(f'  planck:     {", ".join(f"{x:.1f}" for x in p)}')
