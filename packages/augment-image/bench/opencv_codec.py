#!/usr/bin/python3
"""OpenCV's codec costs beside bench/candidates.ts: CPU per image (median of five rounds) of
imread, imread at half size (IMREAD_REDUCED_COLOR_2) and imencode of a 224x224 image at quality 90.

    /usr/bin/python3 bench/opencv_codec.py DIR N

Prints one JSON line: {"imread": ms, "imread at half size": ms, "imencode 224x224 q90": ms}.
"""
import json
import os
import sys
import time

import cv2

cv2.setNumThreads(1)
folder, n = sys.argv[1], int(sys.argv[2])
files = [os.path.join(folder, f) for f in sorted(os.listdir(folder))[:n]]
small = cv2.resize(cv2.imread(files[0]), (224, 224))


def per_image(fn):
    rounds = []
    for _ in range(5):
        start = time.process_time()
        for f in files:
            fn(f)
        rounds.append((time.process_time() - start) * 1000 / len(files))
    return sorted(rounds)[2]


print(json.dumps({
    "imread": per_image(lambda f: cv2.imread(f, cv2.IMREAD_COLOR)),
    "imread at half size": per_image(lambda f: cv2.imread(f, cv2.IMREAD_REDUCED_COLOR_2)),
    "imencode 224x224 q90": per_image(lambda f: cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 90])),
}))
