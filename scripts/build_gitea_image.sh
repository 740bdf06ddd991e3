#!/usr/bin/env bash
# Build the Docker image pytest-gitenv/gitea:<version> locally, without pulling anything.
#
#   scripts/build_gitea_image.sh [--binary PATH] [--version V] [--tag IMAGE] [--force]
#
# Phases (each prints its elapsed seconds):
#   1. gitea binary: --binary, else `python -m pytest_gitenv.cli install-gitea` (builds it from
#      the Go module if needed; see pytest_gitenv/gitea/install.py). Version from --version,
#      else GITEA_VERSION in pytest_gitenv/gitea/install.py.
#   2. skip check: if IMAGE exists and carries the same binary sha256 and recipe labels, done.
#   3. base rootfs: `debootstrap --variant=minbase` Debian bookworm with git + ca-certificates
#      and a user `git` (uid/gid 1000, home /var/lib/gitea), trimmed of docs/locales/apt
#      caches. The mirror is read from this machine's apt sources at run time. The tarball is
#      cached in <cache>/rootfs/ (<cache> as in install.py: $GITENV_CACHE_DIR, else
#      $XDG_CACHE_HOME/pytest-gitenv, else ~/.cache/pytest-gitenv), keyed by the recipe.
#   4. `docker import` of that tarball as pytest-gitenv/debian-base:bookworm-<key>.
#   5. `docker build --pull=false` FROM that local image: copies in the gitea binary and, when
#      present beside it (src/ of a non-bindata build), options/ templates/ public/ into
#      /usr/share/gitea (pass that as STATIC_ROOT_PATH). Labels carry the binary's sha256.
#   6. verify: `gitea --version` runs in the image as uid 1000 (else the tag is removed).
#
# Image layout: /usr/local/bin/gitea, /usr/share/gitea (static), /etc/gitea (config dir owned
# by git), /var/lib/gitea (data, owned by git), USER git (1000), EXPOSE 3000,
# CMD gitea web -c /etc/gitea/app.ini. No app.ini is baked in: the launcher writes one.
#
# Needs root (debootstrap, apt-get) and a Docker engine (scripts/start_dockerd.sh is run if
# `docker info` fails).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
CACHE=${GITENV_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pytest-gitenv}  # as pytest_gitenv/gitea/install.py
PY=${PYTHON:-python3}
SUITE=bookworm
PACKAGES=git,ca-certificates
RECIPE_VERSION=1   # bump when the rootfs recipe below changes
LABEL_NS=io.github.pytest-gitenv

BINARY= VERSION= TAG= FORCE=0
while (($#)); do
    case $1 in
    --binary) BINARY=$2; shift 2 ;;
    --version) VERSION=$2; shift 2 ;;
    --tag) TAG=$2; shift 2 ;;
    --force) FORCE=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "build_gitea_image: unknown argument $1" >&2; exit 2 ;;
    esac
done

T0=$SECONDS
PHASE_T=$SECONDS
phase() { PHASE_T=$SECONDS; echo "[build_gitea_image +$((SECONDS - T0))s] $*" >&2; }
done_phase() { echo "[build_gitea_image +$((SECONDS - T0))s]   done in $((SECONDS - PHASE_T))s${1:+: $1}" >&2; }
die() { echo "build_gitea_image: ERROR: $*" >&2; exit 1; }

# --- 0. docker ---------------------------------------------------------------------------------
if ! timeout 20 docker info >/dev/null 2>&1; then
    phase "docker engine not reachable; running scripts/start_dockerd.sh"
    "$HERE/start_dockerd.sh" || die "no Docker engine (scripts/start_dockerd.sh failed)"
fi
export DOCKER_BUILDKIT=0   # the legacy builder: no buildx plugin needed, never pulls with --pull=false

# --- 1. binary + version -----------------------------------------------------------------------
phase "gitea binary"
if [[ -z $VERSION ]]; then
    VERSION=$(cd "$REPO" && "$PY" -c 'from pytest_gitenv.gitea.install import GITEA_VERSION; print(GITEA_VERSION)') \
        || die "cannot read GITEA_VERSION from pytest_gitenv/gitea/install.py (pass --version)"
fi
if [[ -z $BINARY ]]; then
    BINARY=$(cd "$REPO" && "$PY" -m pytest_gitenv.cli install-gitea | tail -n 1) \
        || die "python -m pytest_gitenv.cli install-gitea failed (pass --binary PATH)"
fi
[[ -x $BINARY ]] || die "gitea binary not found or not executable: $BINARY"
BINARY=$(readlink -f "$BINARY")
SHA=$(sha256sum "$BINARY" | cut -d' ' -f1)
TAG=${TAG:-pytest-gitenv/gitea:$VERSION}
STATIC_SRC=
for d in "$(dirname "$BINARY")/src" "$(dirname "$BINARY")"; do
    if [[ -d $d/options && -d $d/templates ]]; then STATIC_SRC=$d; break; fi
done
done_phase "$BINARY (version $VERSION, sha256 ${SHA:0:12}, static: ${STATIC_SRC:-none})"

ROOTFS_KEY=$(printf '%s\n' "$SUITE" "$PACKAGES" "$RECIPE_VERSION" | sha256sum | cut -c1-12)
BASE_TAG=pytest-gitenv/debian-base:$SUITE-$ROOTFS_KEY

# --- 2. skip if up to date ---------------------------------------------------------------------
if ((!FORCE)); then
    have=$(docker image inspect -f "{{index .Config.Labels \"$LABEL_NS.gitea-sha256\"}} {{index .Config.Labels \"$LABEL_NS.base\"}}" "$TAG" 2>/dev/null || true)
    if [[ $have == "$SHA $BASE_TAG" ]]; then
        echo "[build_gitea_image +$((SECONDS - T0))s] $TAG is up to date (binary sha256 ${SHA:0:12}); nothing to do" >&2
        echo "$TAG"
        exit 0
    fi
fi

# --- 3. base rootfs tarball (cached) -----------------------------------------------------------
mirror_url() {
    # First Debian (non-security) mirror in this machine's apt sources, deb822 or one-line.
    local f url
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        url=$(awk '
            /^[[:space:]]*$/ { if (u != "" && s ~ /(^|[[:space:]])bookworm([[:space:]]|$)/ && t ~ /deb([[:space:]]|$)/) { print u; exit } u=""; s=""; t=""; next }
            /^URIs:/   { u=$2 } /^Suites:/ { $1=""; s=$0 } /^Types:/ { $1=""; t=$0 }
            END { if (u != "" && s ~ /(^|[[:space:]])bookworm([[:space:]]|$)/) print u }' "$f" | head -n1)
        [[ -n $url ]] && { echo "$url"; return; }
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f $f ]] || continue
        url=$(awk '$1=="deb" { i=2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1) == "bookworm") { print $i; exit } }' "$f")
        [[ -n $url ]] && { echo "$url"; return; }
    done
    return 1
}

ROOTFS_TAR=$CACHE/rootfs/debian-$SUITE-$ROOTFS_KEY.tar
phase "base rootfs ($ROOTFS_TAR)"
if [[ -s $ROOTFS_TAR ]]; then
    done_phase "cached"
else
    [[ $(id -u) -eq 0 ]] || die "debootstrap needs root"
    if ! command -v debootstrap >/dev/null 2>&1; then
        echo "  installing debootstrap with apt-get" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null || die "apt-get update failed"
        apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends debootstrap debian-archive-keyring >/dev/null \
            || die "apt-get install debootstrap failed"
    fi
    MIRROR=$(mirror_url) || die "no Debian $SUITE mirror found in /etc/apt/sources.list*"
    echo "  mirror (from apt sources): $MIRROR" >&2
    mkdir -p "$CACHE/rootfs"
    WORK=$(mktemp -d "$CACHE/rootfs/work.XXXXXX")
    trap 'umount -R "$WORK/root/proc" 2>/dev/null || true; rm -rf "$WORK"' EXIT
    if ! debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$WORK/root" "$MIRROR" \
        >"$WORK/debootstrap.log" 2>&1; then
        tail -n 30 "$WORK/debootstrap.log" >&2
        die "debootstrap failed"
    fi
    R=$WORK/root
    chroot "$R" groupadd --gid 1000 git
    chroot "$R" useradd --uid 1000 --gid 1000 --home-dir /var/lib/gitea --create-home \
        --shell /bin/bash --comment "Gitea" git
    install -d -o 1000 -g 1000 -m 0750 "$R/etc/gitea"
    install -d -m 0755 "$R/usr/share/gitea"
    # trim: apt caches and lists, docs (keep copyright files), man pages, locales
    rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/cache/apt/*.bin "$R"/var/lib/apt/lists/* \
        "$R"/usr/share/man/* "$R"/usr/share/info/* "$R"/var/log/*.log "$R"/var/cache/debconf/*-old
    find "$R/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
    find "$R/usr/share/doc" -type f ! -name copyright -delete
    find "$R/usr/share/doc" -type l -delete
    : >"$R/etc/machine-id" 2>/dev/null || true
    echo "$SUITE minbase + $PACKAGES, recipe $RECIPE_VERSION, $(date -u +%F)" >"$R/etc/pytest-gitenv-base"
    tar --numeric-owner --xattrs -C "$R" -cf "$ROOTFS_TAR.partial" .
    mv "$ROOTFS_TAR.partial" "$ROOTFS_TAR"
    rm -rf "$WORK"; trap - EXIT
    done_phase "$(du -h "$ROOTFS_TAR" | cut -f1)"
fi

# --- 4. docker import --------------------------------------------------------------------------
phase "base image $BASE_TAG"
if docker image inspect "$BASE_TAG" >/dev/null 2>&1; then
    done_phase "exists"
else
    docker import \
        --change "LABEL $LABEL_NS.rootfs=$SUITE-$ROOTFS_KEY" \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["/bin/bash"]' \
        "$ROOTFS_TAR" "$BASE_TAG" >/dev/null || die "docker import failed"
    done_phase
fi

# --- 5. docker build ---------------------------------------------------------------------------
phase "docker build $TAG"
CTX=$(mktemp -d)
trap 'rm -rf "$CTX"' EXIT
cp "$BINARY" "$CTX/gitea"
mkdir -p "$CTX/static"
if [[ -n $STATIC_SRC ]]; then
    for d in options templates public; do
        [[ -d $STATIC_SRC/$d ]] && cp -a "$STATIC_SRC/$d" "$CTX/static/"
    done
fi
cat >"$CTX/Dockerfile" <<EOF
FROM $BASE_TAG
COPY gitea /usr/local/bin/gitea
COPY static/ /usr/share/gitea/
ENV USER=git HOME=/var/lib/gitea GITEA_WORK_DIR=/var/lib/gitea
USER 1000:1000
WORKDIR /var/lib/gitea
EXPOSE 3000
CMD ["/usr/local/bin/gitea", "web", "-c", "/etc/gitea/app.ini"]
LABEL $LABEL_NS.gitea-version="$VERSION" \\
      $LABEL_NS.gitea-sha256="$SHA" \\
      $LABEL_NS.base="$BASE_TAG" \\
      $LABEL_NS.static-root="/usr/share/gitea" \\
      $LABEL_NS.has-static="$([[ -n $STATIC_SRC ]] && echo true || echo false)"
EOF
chmod 0755 "$CTX/gitea"
docker build --pull=false -q -t "$TAG" "$CTX" >/dev/null || die "docker build failed"
# the previous build of this tag, now untagged (dangling) and carrying our label
docker image prune -f --filter "label=$LABEL_NS.gitea-sha256" >/dev/null 2>&1 || true
SIZE=$(docker image inspect -f '{{.Size}}' "$TAG")
done_phase "$TAG, $((SIZE / 1024 / 1024)) MiB"

# --- 6. smoke check: the binary runs in the image as uid 1000 ----------------------------------
phase "verify"
got=$(docker run --rm --network none "$TAG" /usr/local/bin/gitea --version 2>&1) \
    || { docker image rm "$TAG" >/dev/null 2>&1 || true; die "gitea does not run in $TAG: $got"; }
[[ $(docker run --rm --network none "$TAG" id -u) == 1000 ]] || die "$TAG does not run as uid 1000"
done_phase "$got"
echo "[build_gitea_image +$((SECONDS - T0))s] built $TAG" >&2
echo "$TAG"
