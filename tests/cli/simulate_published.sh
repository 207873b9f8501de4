#!/usr/bin/env bash
# Published training runs reproduced by `scalewall simulate` (docs/simulate.md
# cites them and tabulates the results):
#  - Megatron-LM's GPT models on Selene's A100s (Narayanan et al., SC'21,
#    Table 1): calibrated once on the smallest run (1.7B, 32 GPUs, 137 TFLOP/s
#    per GPU = 43.9% of the 312 TF peak), the other nine are predicted by the
#    mechanism alone and must land within 15% of the paper's TFLOP/s per GPU
#    (their FLOP count includes the recomputation: our HFU);
#  - Llama 3 405B on H100s (Dubey et al. 2024, Table 4): calibrated on the
#    8,192-GPU run (43% MFU), the two 16,384-GPU runs (41%, and 38% with
#    context parallelism at 131,072 tokens) within 15%.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
command -v python3 >/dev/null || exit 77

# Megatron: bf16, full recomputation, Adam, micro-batch 1, 1F1B without a
# pipeline, else the interleaved schedule with the fewest chunks (>= 2) that
# split each stage's blocks evenly (as Megatron-LM requires).
meg=(--platform hdr --precision bf16 --recompute full --optimizer adam --micro-batch 1)
$sw simulate --net gpt-1.7b --tp 1 --pp 1 --n 32 --batch 512 "${meg[@]}" \
    --hfu 0.4391 --save-platform selene.json >/dev/null
while read -r net tp pp n batch chunks pub; do
  sched=(--schedule 1f1b)
  [ "$chunks" -gt 1 ] && sched=(--schedule interleaved --chunks "$chunks")
  $sw simulate --net "$net" --tp "$tp" --pp "$pp" --n "$n" --batch "$batch" "${meg[@]}" \
      --platform selene.json "${sched[@]}" --format csv --out "$net.csv"
  echo "$net $pub" >>megatron.txt
done <<'RUNS'
gpt-1.7b 1 1 32 512 1 137
gpt-3.6b 2 1 64 512 1 138
gpt-7.5b 4 1 128 512 1 142
gpt-18b 8 1 256 1024 1 135
gpt-39b 8 2 512 1536 2 138
gpt-76b 8 4 1024 1792 3 140
gpt-145b 8 8 1536 2304 2 148
gpt-310b 8 16 1920 2160 2 155
gpt-530b 8 35 2520 2520 3 163
gpt-1t 8 64 3072 3072 2 163
RUNS

# Llama 3 405B: bf16, TP 8 inside the 8-GPU servers, PP 16 interleaved (2
# chunks), rank order [TP, CP, PP, DP], ZeRO-1 (sharded optimizer),
# sequence parallelism and full recomputation, 16M tokens per step.
lla=(--platform ndr --precision bf16 --tp 8 --pp 16 --micro-batch 1 --optimizer adam --zero 1
     --order tp-cp-pp-dp --recompute full --sp --schedule interleaved --chunks 2)
$sw simulate --net llama3-405b --n 8192 --batch 2048 "${lla[@]}" --mfu 0.43 \
    --save-platform grand-teton.json --format csv --out l8k.csv
$sw simulate --net llama3-405b --n 16384 --batch 2048 "${lla[@]}" --platform grand-teton.json \
    --format csv --out l16k.csv
$sw simulate --net llama3-405b:seq=131072 --n 16384 --batch 128 --cp 16 "${lla[@]}" \
    --platform grand-teton.json --format csv --out l16k-cp.csv

python3 - <<'PY'
import csv
def row(f):
    return list(csv.DictReader(open(f)))[0]
worst = 0
print("%-10s %10s %10s %8s" % ("run", "simulated", "published", "error"))
for line in open("megatron.txt"):
    net, pub = line.split()
    tf = float(row(net + ".csv")["hfu"]) * 312
    err = tf / float(pub) - 1
    worst = max(worst, abs(err))
    print("%-10s %8.1f TF %8s TF %+7.1f%%" % (net, tf, pub, 100 * err))
    assert abs(err) <= 0.15, (net, tf, pub)
for f, pub in (("l8k.csv", 0.43), ("l16k.csv", 0.41), ("l16k-cp.csv", 0.38)):
    mfu = float(row(f)["mfu"])
    err = mfu / pub - 1
    worst = max(worst, abs(err))
    print("%-10s %9.1f%% %9.1f%% %+7.1f%%" % (f[:-4], 100 * mfu, 100 * pub, 100 * err))
    assert abs(err) <= 0.15, (f, mfu, pub)
print("published runs: worst error %.1f%% (tolerance 15%%)" % (100 * worst))
PY
