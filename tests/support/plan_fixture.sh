# plan_fixture.sh — sourced by the plan tests (plan.sh, plan_train.sh).
#
# closed_form_series: series.csv from T(N) = 1 + 99/N s per step at N = 1..32
# (no fit involved, so every number is a hand computation) and prices.csv
# with one option "a": one unit per node at 10/h, no power, no overhead.
closed_form_series() {
  {
    echo "workload,params,quantity,unit,scaling,simulated,n,threads,rep,value,peak,ok,outlier,label"
    for n in 1 2 4 8 16 32; do
      awk -v n=$n 'BEGIN { printf "amdahl,,time,s,strong,1,%d,1,0,%.10g,,1,0,\n", n, 1 + 99 / n }'
    done
  } > series.csv
  printf 'name,units_per_node,price_per_hour,power_w,energy_price,overhead\na,1,10,0,0,0\n' > prices.csv
}

# expect_fail CODE PATTERN COMMAND...: the command exits CODE, says PATTERN
# on stderr, in at most two lines.
expect_fail() {
  local code=$1 pat=$2; shift 2
  set +e; "$@" > out.txt 2> err.txt; local rc=$?; set -e
  if [ "$rc" -ne "$code" ]; then echo "expected exit $code, got $rc: $*"; cat err.txt; exit 1; fi
  grep -q -- "$pat" err.txt || { echo "no '$pat' in:"; cat err.txt; exit 1; }
  [ "$(wc -l < err.txt)" -le 2 ]
}
