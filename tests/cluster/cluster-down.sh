#!/usr/bin/env bash
# cluster-down.sh — scalewall's copy of the recipe's teardown (../shared/cluster/): undo cluster-up.sh (same CLU_DIR and CLU_PREFIX): stop its daemons by PID,
# kill what is left inside its namespaces, delete the namespaces (which deletes every veth, the
# bridge and the shaping with them), unmount the hostname namespaces, remove CLU_DIR.
# Safe to run twice, after a failed cluster-up.sh, or after CLU_DIR was deleted by hand.
set -uo pipefail
CLU_DIR=${CLU_DIR:-/tmp/scalewall-cluster}
[[ -f $CLU_DIR/prefix ]] && CLU_PREFIX=${CLU_PREFIX:-$(cat "$CLU_DIR/prefix")}
CLU_PREFIX=${CLU_PREFIX:-swc}
T0=$(date +%s.%N)

# 1. daemons, newest first: SIGTERM, SIGKILL after 5 s. Only PIDs this cluster recorded, and only
#    while /proc/PID/cmdline still names this cluster's directory (no PID-reuse accidents).
if [[ -f $CLU_DIR/pids ]]; then
  mine=()
  while read -r name pid; do
    if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$CLU_DIR"; then
      mine=("$pid" "${mine[@]}")
    fi
  done <"$CLU_DIR/pids"
  for pid in "${mine[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for _ in $(seq 50); do
    alive=0; for pid in "${mine[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    (( alive )) || break; sleep 0.1
  done
  for pid in "${mine[@]}"; do kill -KILL "$pid" 2>/dev/null && echo "cluster-down: SIGKILLed $pid"; done
fi

# 2. this cluster's namespaces: those recorded, plus any named PREFIX-sw, PREFIX-head, PREFIX-nodeK.
#    Whatever still runs inside one (job steps, orted, ranks) is killed by PID, then it is deleted.
nss=$( { [[ -f $CLU_DIR/state ]] && awk '$1 == "netns" {print $2}' "$CLU_DIR/state"
         ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$CLU_PREFIX-(sw|head|node[0-9]+)\$"; } | sort -u)
for ns in $nss; do
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null && echo "cluster-down: killed $pid in $ns"; done
done
[[ -n $nss ]] && sleep 0.2
for ns in $nss; do ip netns del "$ns" 2>/dev/null; done

# 3. mounts under CLU_DIR (the hostname namespaces), deepest first
awk -v d="$CLU_DIR/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do umount "$m"; done

# 4. /run/netns, only if cluster-up.sh created it and nobody else uses it now
if [[ -f $CLU_DIR/state ]] && grep -q '^runnetns' "$CLU_DIR/state" && [[ -z $(ls -A /run/netns 2>/dev/null) ]]; then
  umount /run/netns 2>/dev/null; rmdir /run/netns
fi

# 5. the working directory, only if it is one that cluster-up.sh made
if [[ -f $CLU_DIR/state || -f $CLU_DIR/prefix || -d $CLU_DIR/uts ]]; then rm -rf -- "$CLU_DIR"
elif [[ -d $CLU_DIR ]]; then echo "cluster-down: $CLU_DIR is not a cluster directory; left alone" >&2; fi
printf 'cluster-down: done in %.2fs\n' "$(awk -v a="$(date +%s.%N)" -v b="$T0" 'BEGIN { print a - b }')"
