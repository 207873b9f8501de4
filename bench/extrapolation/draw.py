#!/usr/bin/env python3
"""draw.py — draws the extrapolation corpus's series from declared ranges.

Every series is one pattern program (patterns/*.c) on one platform
(platforms/*.xml) with parameters drawn from the RANGES below by a random
stream seeded with (MASTER_SEED, pattern, platform, variant): a variant's draw
does not depend on any other, so adding variants never changes the existing
series.  Nothing here looks at results: the ranges were declared before the
corpus was simulated, from what real codes of each kind do (docs/fit.md,
"Extrapolation on a corpus the project keeps").

The halves: variant k of every (pattern, platform) cell is in `tune` when k is
odd and in `holdout` when k is even, so both halves cover every cell.

Writes the metadata table (series.csv) to stdout:
  id,half,pattern,platform,variant,seed,net,coll,ns,t1_s,args
  ns    the unit counts simulated, ';'-separated
  t1_s  the compute of one iteration on one rank (seconds): the time at N = 1
        for every pattern but straggler (whose N = 1 time is t1·(1 + X))
  args  the program's key=value arguments, ';'-separated

usage: draw.py [--variants V]   (default 2: 6 patterns x 3 platforms x V series)
"""
import argparse
import csv
import math
import random
import sys

MASTER_SEED = 12  # issue 12

PATTERNS = ["allreduce", "halo3d", "transpose", "straggler", "masterworker", "pipeline"]

# Platform compute speed per core (FLOP/s), as in platforms/*.xml.
PLATFORMS = {"flat": 2e9, "twolevel": 4e9, "fattree": 2e9}

POW2 = [1 << k for k in range(11)]  # 1 ... 1024
NONPOW2 = [3, 6, 12, 24, 48]

# The declared ranges: (low, high) are drawn log-uniformly unless said.
RANGES = {
    "t1_s": (0.01, 1.0),             # compute per iteration on one rank
    "allreduce.bytes": (8, 65536),    # allreduce payload
    "allreduce.coll": ["rab_rdb", "rdb", "mpich"],
    "halo3d.grid": (128, 512),        # global grid edge G (G^3 points)
    "halo3d.fpp": (10, 100),          # flops per point per iteration
    "halo3d.fields": (1, 5),          # doubles per face point, uniform integer
    "halo3d.coll": ["rab_rdb", "rdb", "mpich"],
    "transpose.volume": (16 << 20, 256 << 20),  # bytes exchanged per iteration
    "transpose.coll": ["pair", "bruck", "ompi", "mpich"],
    "straggler.theta": (0.02, 0.3),   # mean extra compute per rank (X = theta*E)
    "straggler.dist": [0, 1],         # 0 exponential E, 1 log-normal E
    "straggler.sigma": (0.5, 1.5),    # log-normal log-sd, uniform
    "straggler.bytes": (8, 4096),     # synchronising allreduce payload
    "straggler.coll": ["rab_rdb", "rdb", "mpich"],
    "masterworker.task_s": (50e-6, 5e-3),   # compute of one task
    "masterworker.tasks": (2048, 16384),    # tasks per iteration
    "masterworker.granularity": (50, 5000), # task compute / master's service per task
    "masterworker.task": (64, 16384),       # bytes of a task message
    "masterworker.result": (8, 4096),       # bytes of a result (request) message
    "pipeline.micro": (2, 5),               # micro-batches 2^k, k uniform integer
    "pipeline.bytes": (4096, 1 << 20),      # activation bytes per micro-batch
    "net": ["clean", "default"],            # SMPI network model
    "nonpow2": 0.5,                         # probability of also simulating 3,6,...,48
}


def logu(r, key):
    lo, hi = RANGES[key]
    return math.exp(r.uniform(math.log(lo), math.log(hi)))


def sig(x, digits=4):
    """x rounded to `digits` significant digits, as a short string."""
    return f"{float(f'{x:.{digits}g}'):.{digits}g}"


def draw(pattern, platform, variant):
    r = random.Random(f"{MASTER_SEED}-{pattern}-{platform}-{variant}")
    speed = PLATFORMS[platform]
    s = {"id": f"{pattern}-{platform}-{variant}",
         "half": "tune" if variant % 2 else "holdout",
         "pattern": pattern, "platform": platform, "variant": variant,
         "seed": r.getrandbits(31), "net": r.choice(RANGES["net"])}
    nonpow2 = r.random() < RANGES["nonpow2"]
    t1 = logu(r, "t1_s")
    args = {}
    if pattern == "allreduce":
        args["flops"] = sig(t1 * speed)
        args["bytes"] = 8 * max(1, round(logu(r, "allreduce.bytes") / 8))
        s["coll"] = r.choice(RANGES["allreduce.coll"])
        args.update(iters=1, warmup=1)
    elif pattern == "halo3d":
        g = round(logu(r, "halo3d.grid"))
        fpp = float(sig(logu(r, "halo3d.fpp"), 3))
        args.update(grid=g, fpp=sig(fpp, 3), fields=r.randint(*RANGES["halo3d.fields"]))
        s["coll"] = r.choice(RANGES["halo3d.coll"])
        t1 = fpp * g ** 3 / speed
        args.update(iters=1, warmup=1)
    elif pattern == "transpose":
        args["flops"] = sig(t1 * speed)
        args["volume"] = round(logu(r, "transpose.volume"))
        s["coll"] = r.choice(RANGES["transpose.coll"])
        if s["coll"] == "pair":
            nonpow2 = False  # SMPI's pairwise alltoall aborts on other N
        args.update(iters=1, warmup=1)
    elif pattern == "straggler":
        args["flops"] = sig(t1 * speed)
        args["theta"] = sig(logu(r, "straggler.theta"), 3)
        args["dist"] = r.choice(RANGES["straggler.dist"])
        args["sigma"] = sig(r.uniform(*RANGES["straggler.sigma"]), 3)
        args["bytes"] = 8 * max(1, round(logu(r, "straggler.bytes") / 8))
        args["seed"] = s["seed"]
        s["coll"] = r.choice(RANGES["straggler.coll"])
        args.update(iters=20, warmup=1)
    elif pattern == "masterworker":
        task_s = logu(r, "masterworker.task_s")
        tasks = round(logu(r, "masterworker.tasks"))
        gran = logu(r, "masterworker.granularity")
        flops = float(sig(task_s * tasks * speed))
        args.update(flops=sig(flops), tasks=tasks, service=sig(task_s * speed / gran),
                    task=round(logu(r, "masterworker.task")),
                    result=round(logu(r, "masterworker.result")))
        s["coll"] = "p2p"
        t1 = flops / speed
        args.update(iters=1, warmup=1)
    elif pattern == "pipeline":
        args["flops"] = sig(t1 * speed)
        args["micro"] = 1 << r.randint(*RANGES["pipeline.micro"])
        args["bytes"] = round(logu(r, "pipeline.bytes"))
        s["coll"] = "p2p"
        args.update(iters=1, warmup=1)
    if "flops" in args:
        t1 = float(args["flops"]) / speed
    s["ns"] = ";".join(str(n) for n in sorted(POW2 + (NONPOW2 if nonpow2 else [])))
    s["t1_s"] = sig(t1, 9)
    s["args"] = ";".join(f"{k}={v}" for k, v in args.items())
    return s


FIELDS = ["id", "half", "pattern", "platform", "variant", "seed", "net", "coll", "ns", "t1_s",
          "args"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", type=int, default=2)
    a = ap.parse_args()
    w = csv.DictWriter(sys.stdout, FIELDS, lineterminator="\n")
    w.writeheader()
    for pattern in PATTERNS:
        for platform in PLATFORMS:
            for v in range(1, a.variants + 1):
                w.writerow(draw(pattern, platform, v))


if __name__ == "__main__":
    main()
