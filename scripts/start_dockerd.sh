#!/usr/bin/env bash
# Start a Docker engine for the container-backed Gitea tests. Idempotent.
#
#   scripts/start_dockerd.sh           # ensure a daemon answers `docker info` (installs if needed)
#   scripts/start_dockerd.sh --stop    # stop the daemon THIS script started (by its pid file)
#   scripts/start_dockerd.sh --status  # say whether a daemon answers, exit 1 if not
#
# Needs root (apt-get install, dockerd). Prints what it does on stderr, exits non-zero with a
# clear message when the engine cannot be brought up.
#
# What this sandbox (Debian 12 VM, kernel 6.x, no systemd as PID 1, as root) needed, found by
# trying:
#   - A `docker` CLI (28.x) may already be at /usr/local/bin/docker, but no daemon: dockerd,
#     containerd, runc, docker-init (tini) and docker-proxy come from Debian's `docker.io`
#     (20.10.x, API 1.41). The newer CLI negotiates down to that API; docker-py/testcontainers
#     do the same. `apt-get install` does not start it (policy-rc.d denies, no systemd), so we
#     run dockerd ourselves in the background: logs in $LOG, pid in $PIDFILE.
#   - dockerd starts its own managed containerd (no system containerd service needed).
#   - cgroups: v1 controllers are mounted under /sys/fs/cgroup (hybrid, cgroupfs driver);
#     nothing to do. If /sys/fs/cgroup is empty we try mounting cgroup2 there.
#   - Storage: overlay2 works here (ext4 root, overlay in /proc/filesystems). If the daemon
#     fails to start with it, we retry with the vfs driver (slow, but always works). Measured
#     here: vfs makes the image build 47 s instead of 5 s (copies every layer) and a Gitea
#     container cold start ~6 s instead of 1-2.5 s. fuse-overlayfs was not needed.
#   - Networking: Debian's `iptables` (nft backend) works; dockerd enables ip_forward itself.
#     Ports published as `-p 127.0.0.1:X:3000` work via the userland proxy (docker-proxy):
#     connections to 127.0.0.1 never traverse the DNAT chains, docker-proxy listens on
#     127.0.0.1:X and forwards. We pass --userland-proxy-path explicitly so a PATH without
#     /usr/sbin (CI) does not break it. If the daemon refuses to start because of iptables we
#     retry with --iptables=false: publishing to 127.0.0.1 still works through docker-proxy
#     (checked: a Gitea container answers on its 127.0.0.1 port with --iptables=false too).
#   - This VM has a /.dockerenv file, so testcontainers believes it runs Docker-in-Docker and
#     dials the bridge gateway instead of 127.0.0.1; ContainerGitea waits on its own URL.
#   - A dockerd killed with SIGKILL leaves its pid file and socket behind; the next run of this
#     script ignores a dead, zombie or recycled pid and starts afresh (its containerd too).
#   - Timing here: installing docker.io + iptables ~10 s; daemon ready in ~1 s.
#   - No registry: nothing here pulls images. The Gitea image is built locally by
#     scripts/build_gitea_image.sh; testcontainers' Ryuk reaper cannot be pulled, so
#     pytest_gitenv/gitea/container.py disables it when its image is absent.
#
# Env: GITENV_DOCKERD_FLAGS  extra dockerd flags (e.g. "--storage-driver=vfs")
#      GITENV_DOCKERD_LOG    log file        (default /var/log/gitenv-dockerd.log)
#      GITENV_DOCKERD_PID    pid file        (default /run/gitenv-dockerd.pid)
#      GITENV_DOCKERD_WAIT   seconds to wait for the socket per attempt (default 60)
set -euo pipefail

LOG=${GITENV_DOCKERD_LOG:-/var/log/gitenv-dockerd.log}
PIDFILE=${GITENV_DOCKERD_PID:-/run/gitenv-dockerd.pid}
WAIT=${GITENV_DOCKERD_WAIT:-60}
SOCK=/var/run/docker.sock
export PATH="$PATH:/usr/sbin:/sbin:/usr/local/sbin"

say() { echo "start_dockerd: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

docker_ok() {
    command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1
}

our_pid() {
    [[ -f $PIDFILE ]] || return 1
    local pid
    pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]] || return 1  # a recycled pid
    # a killed daemon whose parent never reaps it stays a zombie: dead for us
    [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]] || return 1
    echo "$pid"
}

case "${1:-}" in
--status)
    if docker_ok; then say "docker engine is up"; exit 0; fi
    say "docker engine is not reachable"; exit 1 ;;
--stop)
    if pid=$(our_pid); then
        say "stopping dockerd pid $pid"
        kill -TERM "$pid"
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then say "dockerd $pid still alive after 30 s; sending KILL"; kill -KILL "$pid"; fi
        rm -f "$PIDFILE"
    else
        say "no dockerd started by this script is running ($PIDFILE)"
    fi
    exit 0 ;;
"") ;;
*) die "unknown argument: $1 (use --stop or --status)" ;;
esac

if docker_ok; then
    say "docker engine already running"
    exit 0
fi

[[ $(id -u) -eq 0 ]] || die "docker is not reachable and starting dockerd needs root (run: sudo $0)"

# --- install ---------------------------------------------------------------------------------
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
command -v docker >/dev/null 2>&1 || need+=(docker.io)
if ((${#need[@]})); then
    command -v apt-get >/dev/null 2>&1 || die "dockerd missing and no apt-get to install docker.io"
    say "installing ${need[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null \
        || die "apt-get update failed"
    apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends \
        docker.io iptables ca-certificates >/dev/null \
        || die "apt-get install docker.io iptables failed"
fi
command -v dockerd >/dev/null 2>&1 || die "dockerd still missing after install"
say "dockerd: $(command -v dockerd) ($(dockerd --version 2>/dev/null || echo '?'))"

# --- a stale daemon of ours that does not answer ---------------------------------------------
if pid=$(our_pid); then
    say "dockerd pid $pid (from $PIDFILE) is alive but not answering; waiting for it"
    for _ in $(seq 1 "$WAIT"); do docker_ok && { say "docker engine is up"; exit 0; }; sleep 1; done
    die "dockerd pid $pid does not answer after ${WAIT}s; see $LOG (stop it: $0 --stop)"
fi
if pgrep -x dockerd >/dev/null 2>&1; then
    die "a dockerd not started by this script is running (pid $(pgrep -x dockerd | tr '\n' ' ')) but docker info fails; check DOCKER_HOST and that daemon's logs"
fi
rm -f "$PIDFILE"

# --- cgroups ---------------------------------------------------------------------------------
if [[ -d /sys/fs/cgroup && -z $(ls -A /sys/fs/cgroup 2>/dev/null) ]]; then
    say "/sys/fs/cgroup is empty; mounting cgroup2"
    mount -t cgroup2 none /sys/fs/cgroup || say "warning: could not mount cgroup2"
fi

# --- start -----------------------------------------------------------------------------------
base=(--host "unix://$SOCK" --pidfile "$PIDFILE")
proxy=$(command -v docker-proxy || true)
[[ -n $proxy ]] && base+=(--userland-proxy=true --userland-proxy-path "$proxy")
# shellcheck disable=SC2206
extra=(${GITENV_DOCKERD_FLAGS:-})

start_attempt() { # args: extra dockerd flags for this attempt
    mkdir -p "$(dirname "$LOG")" "$(dirname "$PIDFILE")"
    say "starting: dockerd ${base[*]} ${extra[*]} $* (log: $LOG)"
    echo "=== $(date -u +%FT%TZ) start_dockerd: dockerd ${base[*]} ${extra[*]} $*" >>"$LOG"
    setsid nohup dockerd "${base[@]}" "${extra[@]}" "$@" >>"$LOG" 2>&1 </dev/null &
    local pid=$! t0=$SECONDS
    while ((SECONDS - t0 < WAIT)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            say "dockerd exited during startup (after $((SECONDS - t0)) s)"
            return 1
        fi
        if [[ -S $SOCK ]] && docker_ok; then
            echo "$pid" >"$PIDFILE"
            say "docker engine is up (pid $pid, $((SECONDS - t0)) s, storage: $(docker info -f '{{.Driver}}' 2>/dev/null))"
            return 0
        fi
        sleep 1
    done
    say "dockerd did not answer within ${WAIT}s; stopping it (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    sleep 3
    kill -KILL "$pid" 2>/dev/null || true
    return 1
}

start_attempt && exit 0
tail_log() { tail -n 25 "$LOG" | sed 's/^/  | /' >&2; }

fallback=()
if tail -n 60 "$LOG" | grep -qiE 'overlay|graphdriver|storage.driver|driver not supported'; then
    fallback+=(--storage-driver=vfs)
fi
if tail -n 60 "$LOG" | grep -qiE 'iptables|nat|bridge'; then
    fallback+=(--iptables=false --ip-masq=false)
fi
if ((${#fallback[@]} == 0)); then
    fallback=(--storage-driver=vfs --iptables=false --ip-masq=false)
fi
say "retrying with ${fallback[*]}"
start_attempt "${fallback[@]}" && exit 0

tail_log
die "could not start dockerd; log: $LOG. Try GITENV_DOCKERD_FLAGS=... $0, or check that this host allows containers (cgroups, overlay/vfs, iptables)"
