#!/usr/bin/python3
"""The peer of `npm run bench:e2e`: the benchmark recipe as an albumentations-style OpenCV chain.

    /usr/bin/python3 bench/opencv_chain.py IN_DIR OUT_DIR [--processes 2] [--seed 0]

Reads every *.jpg under IN_DIR (an ImageFolder), applies horizontal flip (p 0.5), rotate
(+-15 degrees, bilinear, constant border), random resized crop to 224x224 (scale 0.6-1,
ratio 3/4-4/3, bilinear), colour jitter (brightness 0.2, saturation 0.2, random order, as
albumentations does it on uint8: a LUT and a blend with the grey image) and Gaussian blur
(sigma 0.5-1.5), and writes a JPEG (quality 90) per image to OUT_DIR, keeping the class
folders. The pool of processes is started and warmed up on a few images first (as a training
loader's pool would be); the time printed covers reading, augmenting and writing every image.
Prints one JSON line: {"images": N, "seconds": S, "imagesPerSecond": R, "processes": P,
"workerCpuSeconds": C} (C: user + system CPU of the pool's processes).
"""
import json
import math
import os
import random
import resource
import sys
import time
from multiprocessing import Pool

import cv2
import numpy as np

cv2.setNumThreads(1)


def rotate(img, angle):
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2 - 0.5, h / 2 - 0.5), angle, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def random_resized_crop(img, rng, size=224, scale=(0.6, 1.0), ratio=(3 / 4, 4 / 3)):
    h, w = img.shape[:2]
    area = h * w
    for _ in range(10):
        target = area * rng.uniform(*scale)
        aspect = math.exp(rng.uniform(math.log(ratio[0]), math.log(ratio[1])))
        cw = int(round(math.sqrt(target * aspect)))
        ch = int(round(math.sqrt(target / aspect)))
        if 0 < cw <= w and 0 < ch <= h:
            x = rng.randint(0, w - cw)
            y = rng.randint(0, h - ch)
            return cv2.resize(img[y : y + ch, x : x + cw], (size, size), interpolation=cv2.INTER_LINEAR)
    return cv2.resize(img, (size, size), interpolation=cv2.INTER_LINEAR)


def brightness(img, factor):
    lut = np.clip(np.arange(256) * factor, 0, 255).astype(np.uint8)
    return cv2.LUT(img, lut)


def saturation(img, factor):
    gray = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    return cv2.addWeighted(img, factor, gray, 1 - factor, 0)


def augment(job):
    src, dst, seed = job
    rng = random.Random(seed)
    img = cv2.imread(src, cv2.IMREAD_COLOR)
    if rng.random() < 0.5:
        img = cv2.flip(img, 1)
    img = rotate(img, rng.uniform(-15, 15))
    img = random_resized_crop(img, rng)
    steps = [lambda im: brightness(im, rng.uniform(0.8, 1.2)), lambda im: saturation(im, rng.uniform(0.8, 1.2))]
    rng.shuffle(steps)
    for step in steps:
        img = step(img)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.5))
    cv2.imwrite(dst, img, [cv2.IMWRITE_JPEG_QUALITY, 90])
    return 1


def main():
    args = sys.argv[1:]
    processes = int(args[args.index("--processes") + 1]) if "--processes" in args else 2
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 0
    src_root, dst_root = args[0], args[1]
    jobs = []
    for folder, _, files in sorted(os.walk(src_root)):
        for name in sorted(files):
            if not name.lower().endswith((".jpg", ".jpeg")):
                continue
            rel = os.path.relpath(os.path.join(folder, name), src_root)
            out = os.path.join(dst_root, rel)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            jobs.append((os.path.join(src_root, rel), out, seed * 1_000_003 + len(jobs)))
    pool = Pool(processes)
    pool.map(augment, jobs[: 4 * processes], chunksize=1)  # warm up the pool
    start = time.perf_counter()
    done = sum(pool.imap_unordered(augment, jobs, chunksize=8))
    seconds = time.perf_counter() - start
    pool.close()
    pool.join()
    # CPU of the worker processes (the warm-up's few images included), user + system.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = children.ru_utime + children.ru_stime
    print(json.dumps({"images": done, "seconds": seconds, "imagesPerSecond": done / seconds, "processes": processes, "workerCpuSeconds": cpu}))


if __name__ == "__main__":
    main()
