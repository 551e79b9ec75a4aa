"""scikit-learn's learning curves on the public tables growset's train bench uses.

Writes, next to this script:
  ../../test/fixtures/{digits,iris,penguins}.csv  the tables (features..., label)
  splits.json          per table: test row indices and, per seed, the training rows of each size
  sklearn-curves.json  test accuracy of LogisticRegression() and MLPClassifier(hidden=(64,)) per
                       table, scaling, size and seed, on exactly those rows

The split indices are what makes the comparison fair: `npm run bench:sklearn` in packages/train
trains growset's models on the same rows, scaled the same way (scaler fitted on the training rows).

Run from the repository root:  /usr/bin/python3 packages/train/bench/reference/sklearn_curves.py
(scikit-learn 1.2, numpy; vega-datasets in node_modules for the penguins).
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.datasets import load_digits, load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import MinMaxScaler, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..', '..'))
FIXTURES = os.path.join(HERE, '..', '..', 'test', 'fixtures')
SEEDS = [0, 1, 2]
TEST_FRACTION = 0.3


def write_csv(name, X, y, columns):
    path = os.path.join(FIXTURES, f'{name}.csv')
    with open(path, 'w') as f:
        f.write(','.join(columns + ['label']) + '\n')
        for row, label in zip(X, y):
            f.write(','.join(format(v, 'g') for v in row) + f',{label}\n')


def tables():
    digits = load_digits()
    X = digits.data.astype(np.float64)
    y = np.array([str(v) for v in digits.target])
    write_csv('digits', X, y, [f'p{i}' for i in range(64)])
    yield 'digits', X, y, [20, 50, 100, 200, 400, 800]

    iris = load_iris()
    X = iris.data.astype(np.float64)
    y = np.array([iris.target_names[v] for v in iris.target])
    write_csv('iris', X, y, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'])
    yield 'iris', X, y, [20, 40, 80]

    with open(os.path.join(ROOT, 'node_modules', 'vega-datasets', 'data', 'penguins.json')) as f:
        rows = json.load(f)
    numeric = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)']
    rows = [r for r in rows if all(r[c] is not None for c in numeric)]
    X = np.array([[float(r[c]) for c in numeric] for r in rows])
    y = np.array([r['Species'] for r in rows])
    write_csv('penguins', X, y, ['beak_length', 'beak_depth', 'flipper_length', 'body_mass'])
    yield 'penguins', X, y, [20, 50, 100, 200]


SCALERS = {'standardize': StandardScaler, 'minmax': MinMaxScaler}
MODELS = {
    'logistic': lambda seed: LogisticRegression(),
    'mlp': lambda seed: MLPClassifier(hidden_layer_sizes=(64,), random_state=seed),
}


def main():
    warnings.simplefilter('ignore', ConvergenceWarning)
    splits = {}
    curves = {'sklearn': sklearn.__version__, 'testFraction': TEST_FRACTION, 'seeds': SEEDS, 'results': []}
    for name, X, y, sizes in tables():
        rows = np.arange(len(y))
        pool, test = train_test_split(rows, test_size=TEST_FRACTION, stratify=y, random_state=12)
        split = {'rows': len(y), 'test': sorted(int(i) for i in test), 'train': {}}
        for seed in SEEDS:
            for n in sizes:
                train, _ = train_test_split(pool, train_size=n, stratify=y[pool], random_state=1000 * seed + n)
                split['train'][f'{n}/{seed}'] = sorted(int(i) for i in train)
        splits[name] = split
        for scaling, Scaler in SCALERS.items():
            for model, make in MODELS.items():
                for n in sizes:
                    accs = []
                    for seed in SEEDS:
                        train = np.array(split['train'][f'{n}/{seed}'])
                        scaler = Scaler().fit(X[train])
                        clf = make(seed).fit(scaler.transform(X[train]), y[train])
                        accs.append(float((clf.predict(scaler.transform(X[test])) == y[test]).mean()))
                    curves['results'].append(
                        {'table': name, 'scaling': scaling, 'model': model, 'size': n, 'accuracy': accs}
                    )
                    print(f'{name:9s} {scaling:11s} {model:8s} n={n:4d} {100 * np.mean(accs):6.2f}')
    with open(os.path.join(HERE, 'splits.json'), 'w') as f:
        json.dump(splits, f)
    with open(os.path.join(HERE, 'sklearn-curves.json'), 'w') as f:
        json.dump(curves, f, indent=1)


if __name__ == '__main__':
    main()
