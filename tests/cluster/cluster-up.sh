#!/usr/bin/env bash
# cluster-up.sh N — an emulated N-node cluster on one Linux host (root, no systemd needed).
# scalewall's own copy of the recipe in ../shared/cluster/ (README.md there has the findings
# each setting comes from); tests/cluster/cluster.sh starts and stops it, docs/cluster.md
# shows it by hand.  Changes from the recipe: none in behaviour yet; keep them listed here.
#
#   node1..nodeN : one network namespace + one UTS namespace (own `hostname`) each, eth0 = CLU_NET.i/24
#   head         : login/controller node (CLU_NET.254): slurmctld and munged run here; srun/sbatch from here
#   switch       : a namespace holding bridge br0; every node's eth0 is a veth whose peer is a port of br0
#
# The root namespace's network is never touched: every veth/bridge is created inside the namespaces.
# Daemons run in the foreground (munged -F, slurmctld -D, slurmd -D) as background jobs of this script,
# their PIDs in $CLU_DIR/pids. Tear down with cluster-down.sh (same CLU_DIR).
#
# Environment (all optional):
#   CLU_DIR     working directory               (default /tmp/scalewall-cluster)
#   CLU_PREFIX  prefix of the namespace names    (default swc: swc-node1 … swc-head, swc-sw)
#   CLU_NET     first three octets of the /24    (default 10.250.0; the namespaces have no route out)
#   CLU_CPUS    CPUs each node claims to Slurm   (default 4; oversubscribes the real cores on purpose)
#   CLU_RATE    shape every link, e.g. 1gbit, 10gbit (default: unshaped); change later with clu-shape
#   CLU_MTU     MTU of every node's link         (default 1500; 9000 = jumbo frames)
#   CLU_SLURM   1 = start munge + Slurm (default), 0 = network + MPI only
#
# Afterwards:  . "$CLU_DIR/env.sh"   then e.g.
#   clu-exec node1 mpirun --host node1,node2 -np 2 ./pp        (mpirun launches node2 via clu-rsh)
#   clu-exec head srun -N 2 -n 4 ./pp                           (MpiDefault=pmix)
#   clu-exec head sbatch -N 2 -n 4 job.sh
set -euo pipefail

N=${1:-}
[[ $N =~ ^[0-9]+$ ]] && (( N >= 1 && N <= 200 )) || { echo "usage: $0 N   (1..200 nodes)" >&2; exit 2; }
[[ $(id -u) == 0 ]] || { echo "cluster-up: needs root (network namespaces)" >&2; exit 2; }

CLU_DIR=${CLU_DIR:-/tmp/scalewall-cluster}
CLU_PREFIX=${CLU_PREFIX:-swc}
CLU_NET=${CLU_NET:-10.250.0}
CLU_CPUS=${CLU_CPUS:-4}
CLU_RATE=${CLU_RATE:-}
CLU_SLURM=${CLU_SLURM:-1}
CLU_MTU=${CLU_MTU:-1500}
T0=$(date +%s.%N)
say() { printf 'cluster-up [%5.2fs] %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$T0" 'BEGIN { print a - b }')" "$*"; }

if [[ -e $CLU_DIR/state ]]; then
  echo "cluster-up: $CLU_DIR/state exists: a cluster is up (or was not torn down); run cluster-down.sh first" >&2
  exit 1
fi
for ns in $(ip netns list | awk '{print $1}'); do
  [[ $ns == "$CLU_PREFIX"-* ]] && { echo "cluster-up: namespace $ns already exists; run cluster-down.sh first" >&2; exit 1; }
done
for t in ip nsenter unshare tc setsid; do command -v $t >/dev/null || { echo "cluster-up: $t missing" >&2; exit 2; }; done
if [[ $CLU_SLURM == 1 ]]; then
  for t in munged slurmctld slurmd srun sinfo; do
    command -v $t >/dev/null || { echo "cluster-up: $t missing: apt-get install munge slurmctld slurmd slurm-client" >&2; exit 2; }
  done
fi

mkdir -p "$CLU_DIR"/{bin,uts,log,munge,slurm/ctld,slurm/d}
chmod 755 "$CLU_DIR" "$CLU_DIR/munge"        # munged wants its socket directory searchable by all
echo "$CLU_PREFIX" >"$CLU_DIR/prefix"
: >"$CLU_DIR/state"                           # one line per thing to undo, read by cluster-down.sh (bottom up)
[[ -d /run/netns ]] || echo "runnetns /run/netns" >>"$CLU_DIR/state"    # ip netns add creates + mounts it
: >"$CLU_DIR/pids"
NODES=(head); for ((i = 1; i <= N; i++)); do NODES+=("node$i"); done
ip_of() { [[ $1 == head ]] && echo "$CLU_NET.254" || echo "$CLU_NET.${1#node}"; }

# ---- /etc/hosts seen inside the nodes (clu-exec bind-mounts it over /etc/hosts in a private mount ns) ----
{ echo "127.0.0.1 localhost"; for n in "${NODES[@]}"; do echo "$(ip_of "$n") $n"; done; } >"$CLU_DIR/hosts"

# ---- the switch ----
SW=$CLU_PREFIX-sw
ip netns add "$SW"; echo "netns $SW" >>"$CLU_DIR/state"
ip -n "$SW" link set lo up
ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up

# ---- the nodes ----
for n in "${NODES[@]}"; do
  ns=$CLU_PREFIX-$n
  ip netns add "$ns"; echo "netns $ns" >>"$CLU_DIR/state"
  ip -n "$ns" link set lo up
  ip -n "$ns" link add eth0 mtu "$CLU_MTU" type veth peer name "v$n" mtu "$CLU_MTU" netns "$SW"
  ip -n "$ns" addr add "$(ip_of "$n")/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$SW" link set "v$n" master br0
  ip -n "$SW" link set "v$n" up
  touch "$CLU_DIR/uts/$n"
  unshare --uts="$CLU_DIR/uts/$n" hostname "$n"; echo "umount $CLU_DIR/uts/$n" >>"$CLU_DIR/state"
done
say "network: ${#NODES[@]} namespaces on bridge br0 in $SW"

# ---- helper commands ----
cat >"$CLU_DIR/bin/clu-exec" <<EOF
#!/bin/sh
# clu-exec NODE CMD [ARGS...] — run CMD inside emulated node NODE: its network namespace, its
# hostname, its /etc/hosts, and the cluster's Slurm/Open MPI settings (each only if not set already).
# Not \`ip netns exec\`: that remounts /sys, which hides /sys/fs/cgroup, and slurmd refuses to start without it.
[ \$# -ge 2 ] || { echo "usage: clu-exec NODE CMD [ARGS...]" >&2; exit 2; }
n=\$1; shift
[ -e "/run/netns/$CLU_PREFIX-\$n" ] || { echo "clu-exec: no node \$n" >&2; exit 2; }
export SLURM_CONF="\${SLURM_CONF:-$CLU_DIR/slurm.conf}"
export OMPI_ALLOW_RUN_AS_ROOT="\${OMPI_ALLOW_RUN_AS_ROOT:-1}" OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="\${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}"
export OMPI_MCA_plm_rsh_agent="\${OMPI_MCA_plm_rsh_agent:-$CLU_DIR/bin/clu-rsh}"   # instead of ssh
export OMPI_MCA_plm_rsh_no_tree_spawn="\${OMPI_MCA_plm_rsh_no_tree_spawn:-1}"
export OMPI_MCA_oob_tcp_if_include="\${OMPI_MCA_oob_tcp_if_include:-$CLU_NET.0/24}"  # daemons: the cluster net
export OMPI_MCA_btl_tcp_if_include="\${OMPI_MCA_btl_tcp_if_include:-$CLU_NET.0/24}"  # ranks on different nodes too
export OMPI_MCA_hwloc_base_binding_policy="\${OMPI_MCA_hwloc_base_binding_policy:-none}" # all nodes share the real cores
export OMPI_MCA_rmaps_base_oversubscribe="\${OMPI_MCA_rmaps_base_oversubscribe:-1}"
export OMPI_MCA_mpi_yield_when_idle="\${OMPI_MCA_mpi_yield_when_idle:-1}"  # ranks of all nodes share the cores
exec nsenter --net="/run/netns/$CLU_PREFIX-\$n" --uts="$CLU_DIR/uts/\$n" -- \\
  unshare --mount --propagation slave -- \\
  /bin/sh -c 'mount --bind "\$0" /etc/hosts && exec "\$@"' "$CLU_DIR/hosts" "\$@"
EOF
cat >"$CLU_DIR/bin/clu-rsh" <<EOF
#!/bin/sh
# clu-rsh [ssh-style options] NODE COMMAND... — what Open MPI's rsh launcher calls instead of ssh
while [ \$# -gt 0 ]; do case \$1 in -o|-p|-l|-i) shift 2;; -*) shift;; *) break;; esac; done
n=\$1; shift
exec "$CLU_DIR/bin/clu-exec" "\$n" /bin/sh -c "\$*"
EOF
cat >"$CLU_DIR/bin/clu-shape" <<EOF
#!/bin/sh
# clu-shape RATE|off [NODE...] — token-bucket shape both directions of each node's link (tbf)
rate=\$1; shift; [ -n "\$rate" ] || { echo "usage: clu-shape RATE|off [NODE...]" >&2; exit 2; }
[ \$# -gt 0 ] || set -- \$(sed -n 's/^node //p' "$CLU_DIR/state")
for n in "\$@"; do
  for spec in "$CLU_PREFIX-\$n:eth0" "$CLU_PREFIX-sw:v\$n"; do   # node -> switch, switch -> node
    ns=\${spec%%:*}; dev=\${spec#*:}
    tc -n "\$ns" qdisc del dev "\$dev" root 2>/dev/null
    [ "\$rate" = off ] && continue
    # burst: 1 ms of traffic at the rate, at least 64 KiB (one GSO packet); queue: 20 ms. A smaller
    # burst loses tokens whenever the timer fires late on a busy host (0.1 ms: 1gbit gave ~85 MB/s).
    # Every message's first "burst" bytes pass at full speed: a token bucket, not a wire.
    bytes=\$(echo "\$rate" | awk '{ v=\$1+0; u=tolower(\$1); sub(/^[0-9.]+/,"",u);
      m=(u ~ /^g/)?1e9:(u ~ /^m/)?1e6:(u ~ /^k/)?1e3:1; printf "%d", v*m/8/1000 }')
    [ "\$bytes" -lt 65536 ] && bytes=65536
    tc -n "\$ns" qdisc add dev "\$dev" root tbf rate "\$rate" burst "\$bytes" latency 20ms || exit 1
  done
done
EOF
chmod 755 "$CLU_DIR"/bin/*
for ((i = 1; i <= N; i++)); do echo "node node$i" >>"$CLU_DIR/state"; done
[[ -n $CLU_RATE ]] && { "$CLU_DIR/bin/clu-shape" "$CLU_RATE"; say "links shaped to $CLU_RATE"; }

cat >"$CLU_DIR/env.sh" <<EOF
# . $CLU_DIR/env.sh — puts clu-exec, clu-rsh, clu-shape on PATH (run everything through clu-exec NODE ...)
export CLU_DIR="$CLU_DIR"
case ":\$PATH:" in *":$CLU_DIR/bin:"*) ;; *) export PATH="$CLU_DIR/bin:\$PATH";; esac
EOF

if [[ $CLU_SLURM != 1 ]]; then say "up (no Slurm)"; exit 0; fi

# ---- munge: one munged for all nodes (they share the filesystem, so the socket reaches every node) ----
dd if=/dev/urandom of="$CLU_DIR/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$CLU_DIR/munge/munge.key"
start() {   # start NAME NODE CMD... : a foreground daemon inside NODE, in its own session
  local name=$1 node=$2; shift 2
  setsid "$CLU_DIR/bin/clu-exec" "$node" "$@" </dev/null >"$CLU_DIR/log/$name.out" 2>&1 &
  echo "$name $!" >>"$CLU_DIR/pids"
}
start munged head munged -F --key-file="$CLU_DIR/munge/munge.key" --socket="$CLU_DIR/munge/munge.sock" \
  --pid-file="$CLU_DIR/munge/munged.pid" --log-file="$CLU_DIR/log/munged.log" --seed-file="$CLU_DIR/munge/munged.seed"
for _ in $(seq 100); do [[ -S $CLU_DIR/munge/munge.sock ]] && break; sleep 0.05; done
[[ -S $CLU_DIR/munge/munge.sock ]] || { echo "cluster-up: munged did not start (clean up with cluster-down.sh):" >&2; cat "$CLU_DIR/log/munged.out" >&2; exit 1; }
say "munged up"

# ---- Slurm ----
cat >"$CLU_DIR/slurm.conf" <<EOF
ClusterName=$CLU_PREFIX
MailProg=/bin/true
SlurmctldHost=head($CLU_NET.254)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$CLU_DIR/munge/munge.sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$CLU_DIR/slurm/ctld
SlurmdSpoolDir=$CLU_DIR/slurm/d/%n
TmpFS=$CLU_DIR/slurm/tmp/%n
SlurmctldPidFile=$CLU_DIR/slurm/slurmctld.pid
SlurmdPidFile=$CLU_DIR/slurm/slurmd-%n.pid
SlurmctldLogFile=$CLU_DIR/log/slurmctld.log
SlurmdLogFile=$CLU_DIR/log/slurmd-%n.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
MpiDefault=pmix
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
MinJobAge=10
NodeName=node[1-$N] NodeAddr=$CLU_NET.[1-$N] CPUs=$CLU_CPUS State=UNKNOWN
PartitionName=all Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
start slurmctld head slurmctld -D -c -f "$CLU_DIR/slurm.conf"
for ((i = 1; i <= N; i++)); do
  mkdir -p "$CLU_DIR/slurm/d/node$i" "$CLU_DIR/slurm/tmp/node$i"   # per node: pmix dirs would collide in /tmp
  start "slurmd-node$i" "node$i" slurmd -D -N "node$i" -f "$CLU_DIR/slurm.conf"
done
export SLURM_CONF=$CLU_DIR/slurm.conf
deadline=$((SECONDS + 60))
while :; do
  idle=$("$CLU_DIR/bin/clu-exec" head sinfo -h -N -t idle -o %N 2>/dev/null | wc -l) || idle=0
  (( idle == N || SECONDS >= deadline )) && break
  sleep 0.2
done
if (( idle != N )); then
  echo "cluster-up: only $idle of $N nodes idle after 60 s (clean up with cluster-down.sh):" >&2
  "$CLU_DIR/bin/clu-exec" head sinfo -N -l >&2 || true
  tail -n 20 "$CLU_DIR"/log/*.log >&2
  exit 1
fi
say "Slurm up: $N nodes idle"
"$CLU_DIR/bin/clu-exec" head sinfo
