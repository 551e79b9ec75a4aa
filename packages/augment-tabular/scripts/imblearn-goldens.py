#!/usr/bin/python3
"""Golden outputs of imbalanced-learn's under-samplers for the equivalence tests.

Run with Debian's python3 (imbalanced-learn 0.10, scikit-learn 1.2):

    /usr/bin/python3 packages/augment-tabular/scripts/imblearn-goldens.py

It writes test/golden/imblearn-under.json: the datasets (features and labels), and for every case
the growset method and options that should reproduce it, the imbalanced-learn call, and the row
indices imbalanced-learn keeps (sorted). The data sets have no duplicate rows and no tied
distances (iris is jittered by 1e-3 for that), since imbalanced-learn's neighbour order among
ties is not specified. For the randomized methods (condensed nearest neighbour, one-sided
selection) the seed rows imbalanced-learn draws are recorded too, so the test can hand growset the
same choices; those cases use binary data sets whose class to clean comes first (imbalanced-learn
mixes class-local and global row indices there, which agree only in that layout).
"""
import json
import os

import imblearn
import numpy as np
import sklearn
from sklearn.datasets import load_iris
from imblearn.under_sampling import (
    AllKNN,
    CondensedNearestNeighbour,
    EditedNearestNeighbours,
    NearMiss,
    NeighbourhoodCleaningRule,
    OneSidedSelection,
    RepeatedEditedNearestNeighbours,
    TomekLinks,
)


def blobs(seed, sizes, dims, spread):
    rng = np.random.RandomState(seed)
    xs, ys = [], []
    for c, n in enumerate(sizes):
        centre = np.zeros(dims)
        centre[c % dims] = spread * c
        xs.append(centre + rng.normal(size=(n, dims)))
        ys.append(np.full(n, c))
    return np.vstack(xs), np.concatenate(ys)


def iris_imbalanced():
    data = load_iris()
    keep = np.concatenate([np.arange(0, 50), np.arange(50, 75), np.arange(100, 110)])
    x = data.data[keep] + 1e-3 * np.random.RandomState(1).normal(size=(len(keep), 4))
    return x, data.target[keep]


DATASETS = {
    "blobs-2d": blobs(0, [100, 25], 2, 1.5),
    "blobs-5d": blobs(1, [120, 50, 20], 5, 1.5),
    "blobs-5d-binary": blobs(2, [150, 30], 5, 1.2),
    "iris-imbalanced": iris_imbalanced(),
}

cases = []


def case(dataset, method, options, sampler, note=None, seeds=None):
    x, y = DATASETS[dataset]
    sampler.fit_resample(x, y)
    entry = {
        "dataset": dataset,
        "method": method,
        "options": options,
        "imblearn": repr(sampler),
        "kept": sorted(int(i) for i in sampler.sample_indices_),
    }
    if seeds is not None:
        entry["seeds"] = seeds
    if note:
        entry["note"] = note
    cases.append(entry)


for name in ["blobs-2d", "blobs-5d", "iris-imbalanced"]:
    case(name, "tomekLinks", {}, TomekLinks())
    case(name, "tomekLinks", {"classes": "all"}, TomekLinks(sampling_strategy="all"))
    case(name, "editedNearestNeighbours", {}, EditedNearestNeighbours())
    case(name, "editedNearestNeighbours", {"kindSel": "mode", "k": 5},
         EditedNearestNeighbours(kind_sel="mode", n_neighbors=5))
    case(name, "editedNearestNeighbours", {"classes": "all"}, EditedNearestNeighbours(sampling_strategy="all"))
    case(name, "repeatedEditedNearestNeighbours", {}, RepeatedEditedNearestNeighbours())
    case(name, "repeatedEditedNearestNeighbours", {"kindSel": "mode"},
         RepeatedEditedNearestNeighbours(kind_sel="mode"))
    case(name, "allKnn", {}, AllKNN())
    case(name, "allKnn", {"allowMinority": True, "k": 4}, AllKNN(allow_minority=True, n_neighbors=4))
    for version in (1, 2, 3):
        case(name, "nearMiss", {"version": version}, NearMiss(version=version))
    case(name, "nearMiss", {"version": 1, "k": 5}, NearMiss(version=1, n_neighbors=5))
    case(name, "nearMiss", {"version": 3, "kVersion3": 5}, NearMiss(version=3, n_neighbors_ver3=5))
    # imbalanced-learn 0.10's default kind_sel='all' for this rule tests the truth of the labels
    # themselves (np.all(nnhood_label)), a bug fixed in 0.12, which keeps only 'mode'; growset
    # implements the rule as published (the mode), so the goldens use kind_sel='mode'.
    case(name, "neighbourhoodCleaningRule", {}, NeighbourhoodCleaningRule(kind_sel="mode"))
    case(name, "neighbourhoodCleaningRule", {"threshold": 0.2, "k": 5},
         NeighbourhoodCleaningRule(kind_sel="mode", threshold_cleaning=0.2, n_neighbors=5))

case("blobs-5d", "nearMiss", {"version": 1, "strategy": {"counts": {"0": 60, "1": 30}}},
     NearMiss(version=1, sampling_strategy={0: 60, 1: 30}))
case("blobs-5d", "nearMiss", {"version": 2, "strategy": {"counts": {"0": 60, "1": 30}}},
     NearMiss(version=2, sampling_strategy={0: 60, 1: 30}))

for name in ["blobs-2d", "blobs-5d-binary"]:
    x, y = DATASETS[name]
    majority = int(np.sum(y == 0))
    for seed in (0, 1, 2):
        # Both samplers draw their seed rows with RandomState(seed).randint(0, n_class, size=1).
        drawn = [int(v) for v in np.random.RandomState(seed).randint(low=0, high=majority, size=1)]
        case(name, "condensedNearestNeighbour", {}, CondensedNearestNeighbour(random_state=seed),
             seeds=drawn)
        case(name, "oneSidedSelection", {}, OneSidedSelection(random_state=seed), seeds=drawn)
    drawn = [int(v) for v in np.random.RandomState(5).randint(low=0, high=majority, size=1)]
    case(name, "condensedNearestNeighbour", {"k": 3}, CondensedNearestNeighbour(random_state=5, n_neighbors=3),
         seeds=drawn)

out = {
    "generator": "scripts/imblearn-goldens.py",
    "imblearn": imblearn.__version__,
    "sklearn": sklearn.__version__,
    # Python writes floats with round-trip precision: JSON.parse gives back the same doubles.
    "datasets": {
        name: {"features": x.tolist(), "labels": [str(int(v)) for v in y]} for name, (x, y) in DATASETS.items()
    },
    "cases": cases,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "imblearn-under.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")

# Support vectors of scikit-learn's SVC (RBF, gamma='scale'), which SVM-SMOTE starts from, solved
# to tol=1e-9 (at the default 1e-3 a few rows with tiny coefficients come and go).
from sklearn.svm import SVC

svm_cases = []
for name in ["blobs-2d", "blobs-5d-binary"]:
    x, y = DATASETS[name]
    for c_value in (1.0, 10.0):
        svc = SVC(kernel="rbf", C=c_value, gamma="scale", tol=1e-9).fit(x, y)
        svm_cases.append({
            "dataset": name,
            "C": c_value,
            "tol": 1e-9,
            "gamma": float(1.0 / (x.shape[1] * x.var())),
            "support": sorted(int(i) for i in svc.support_),
        })
svm_path = os.path.join(os.path.dirname(path), "sklearn-svc.json")
with open(svm_path, "w") as f:
    json.dump({"generator": "scripts/imblearn-goldens.py", "sklearn": sklearn.__version__, "cases": svm_cases}, f)
    f.write("\n")
print(f"wrote {len(svm_cases)} cases to {os.path.normpath(svm_path)}")
