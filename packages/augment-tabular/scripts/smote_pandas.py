"""The peer of `growset augment-table --method smote --k 5`, CSV to CSV: pandas reads the CSV,
imbalanced-learn 0.10 resamples it with SMOTE(k_neighbors=5), pandas writes the result with a
`synthetic` column, like growset's output. Run with /usr/bin/python3 (the whole script, process
start included, is what the bench times).

usage: smote_pandas.py IN.csv OUT.csv LABEL
"""
import sys

import pandas as pd
from imblearn.over_sampling import SMOTE

source, target, label = sys.argv[1], sys.argv[2], sys.argv[3]
table = pd.read_csv(source)
x = table.drop(columns=[label])
y = table[label]
xr, yr = SMOTE(k_neighbors=5, random_state=1).fit_resample(x, y)
out = xr.copy()
out[label] = yr.values
out["synthetic"] = [False] * len(table) + [True] * (len(out) - len(table))
out.to_csv(target, index=False)
print(len(out))
