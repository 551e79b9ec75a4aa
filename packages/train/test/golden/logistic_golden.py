"""scikit-learn's LogisticRegression() probabilities, the golden file of train/test/lbfgs.test.ts.

For iris (all 150 rows) and digits (the 100 training rows of seed 0 in bench/reference/splits.json):
features standardized with the training rows' statistics (StandardScaler), fitted with
LogisticRegression(tol=1e-8, max_iter=10000) (L2, C=1, lbfgs, solved tightly: the exact minimizer) and, for digits, also C=0.1 with class_weight='balanced';
the probabilities of the first 40 test rows are written to logistic-golden.json.

Run from the repository root: /usr/bin/python3 packages/train/test/golden/logistic_golden.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'fixtures')
SPLITS = os.path.join(HERE, '..', '..', 'bench', 'reference', 'splits.json')


def read(name):
    lines = open(os.path.join(FIXTURES, f'{name}.csv')).read().strip().split('\n')[1:]
    X = np.array([[float(v) for v in line.split(',')[:-1]] for line in lines])
    y = np.array([line.split(',')[-1] for line in lines])
    return X, y


splits = json.load(open(SPLITS))
out = {'sklearn': sklearn.__version__, 'cases': []}
for table, key, options in [
    ('iris', '40/0', {}),
    ('digits', '100/0', {}),
    ('digits', '100/0', {'C': 0.1, 'class_weight': 'balanced'}),
]:
    X, y = read(table)
    train = splits[table]['train'][key]
    test = splits[table]['test'][:40]
    scaler = StandardScaler().fit(X[train])
    clf = LogisticRegression(**options, tol=1e-8, max_iter=10000).fit(scaler.transform(X[train]), y[train])
    out['cases'].append({
        'table': table,
        'train': train,
        'test': test,
        'options': options,
        'classes': [str(c) for c in clf.classes_],
        'iterations': int(clf.n_iter_[0]),
        'proba': np.round(clf.predict_proba(scaler.transform(X[test])), 7).tolist(),
    })
json.dump(out, open(os.path.join(HERE, 'logistic-golden.json'), 'w'))
