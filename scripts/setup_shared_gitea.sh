#!/usr/bin/env bash
# Start a long-lived shared Gitea on 127.0.0.1 with a persistent data dir, print its URL and
# write GITEA_URL / GITEA_USERNAME / GITEA_TOKEN to a mode-0600 .env. Running it again while
# the server is up only reprints the URL and rewrites the .env.
#
#   scripts/setup_shared_gitea.sh [--data-dir DIR] [--port PORT] [--env-file FILE] [--docker] [--stop]
#
#   --docker   run the locally built image (scripts/build_gitea_image.sh) instead of the binary
#   --stop     stop the server this script started (by its pid file / container name)
#
# Then fill it:      gitenv migrate tasks.yaml --env-file FILE
# and use it:        GitEnv.from_tasks(..., backend="url")  (GITEA_URL/GITEA_TOKEN or the .env)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${GITENV_SHARED_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/pytest-gitenv/shared-gitea}
PORT=${GITENV_SHARED_PORT:-3300}
ENV_FILE=.env
DOCKER=0
STOP=0
PYTHON=${PYTHON:-python3}
while (($#)); do
    case $1 in
        --data-dir) DATA=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --env-file) ENV_FILE=$2; shift 2 ;;
        --docker) DOCKER=1; shift ;;
        --stop) STOP=1; shift ;;
        *) echo "usage: $0 [--data-dir DIR] [--port PORT] [--env-file FILE] [--docker] [--stop]" >&2; exit 2 ;;
    esac
done
mkdir -p "$DATA"
ENV_FILE=$(realpath -m "$ENV_FILE")
DATA=$(cd "$DATA" && pwd)
PIDFILE=$DATA/serve.pid
SHARED_ENV=$DATA/shared.env
URL=http://127.0.0.1:$PORT/
CONTAINER=gitenv-shared-gitea-$PORT
say() { echo "[setup_shared_gitea +${SECONDS}s] $*" >&2; }

healthy() { curl -fsS --noproxy '*' --max-time 2 "${URL}api/healthz" >/dev/null 2>&1; }
our_pid() {
    local pid
    pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

if ((STOP)); then
    if ((DOCKER)); then
        docker rm -f "$CONTAINER" >/dev/null && say "removed container $CONTAINER (data kept in $DATA)"
    elif pid=$(our_pid); then
        kill -TERM "$pid"
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        rm -f "$PIDFILE"
        say "stopped pid $pid (data kept in $DATA)"
    else
        say "no server of ours is running"
    fi
    exit 0
fi

publish_env() {
    install -m 600 /dev/null "$ENV_FILE"
    cat "$SHARED_ENV" >"$ENV_FILE"
    say "credentials in $ENV_FILE (mode 0600)"
    echo "$URL"
}

if healthy && [[ -s $SHARED_ENV ]] && { ((DOCKER)) || our_pid >/dev/null; }; then
    say "already running at $URL"
    publish_env
    exit 0
fi

if ((DOCKER)); then
    docker info >/dev/null 2>&1 || { say "docker is not reachable (try scripts/start_dockerd.sh)"; exit 1; }
    IMAGE=${GITENV_GITEA_IMAGE:-$("$PYTHON" -c 'from pytest_gitenv.gitea import GITEA_VERSION as v; print("pytest-gitenv/gitea:" + v)')}
    docker image inspect "$IMAGE" >/dev/null 2>&1 || "$ROOT/scripts/build_gitea_image.sh" --tag "$IMAGE"
    docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
    STATIC=$(docker image inspect -f '{{index .Config.Labels "io.github.pytest-gitenv.static-root"}}' "$IMAGE")
    "$PYTHON" - "$DATA" "$PORT" "$STATIC" <<'EOF'
import json, os, sys
from pathlib import Path
from pytest_gitenv.gitea.appini import generate_secret, render_app_ini
data, port, static = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] or None
state = data / "secrets.json"
if not state.exists():
    state.write_text(json.dumps({"secret_key": generate_secret(), "internal_token": generate_secret(48)}))
    state.chmod(0o600)
s = json.loads(state.read_text())
(data / "gitea").mkdir(exist_ok=True)
(data / "gitea" / "app.ini").write_text(render_app_ini(
    app_data_path="/var/lib/gitea/data", repo_root="/var/lib/gitea/data/repos", http_port=3000,
    root_url=f"http://127.0.0.1:{port}/", run_user="git", secret_key=s["secret_key"],
    internal_token=s["internal_token"], http_addr="0.0.0.0", static_root=static))
os.system(f"chown -R 1000:1000 {data}/gitea")
EOF
    docker run -d --name "$CONTAINER" --restart unless-stopped -p "127.0.0.1:$PORT:3000" \
        -v "$DATA/gitea:/var/lib/gitea" "$IMAGE" \
        gitea web --config /var/lib/gitea/app.ini --work-path /var/lib/gitea >/dev/null
    for _ in $(seq 120); do healthy && break; sleep 0.5; done
    healthy || { docker logs "$CONTAINER" | tail -20 >&2; say "Gitea did not become healthy"; exit 1; }
    gitea_cli() { docker exec -u 1000 "$CONTAINER" gitea --config /var/lib/gitea/app.ini --work-path /var/lib/gitea "$@"; }
    [[ -s $DATA/gitea/data/gitea.db ]] || gitea_cli migrate >/dev/null
    gitea_cli admin user create --admin --username gitenv-admin --email gitenv-admin@gitenv.invalid \
        --random-password --must-change-password=false >/dev/null 2>&1 || true
    TOKEN=$(gitea_cli admin user generate-access-token -u gitenv-admin -t "shared-$(date +%s)" --scopes all --raw | tail -1)
    printf 'GITEA_URL=%s\nGITEA_USERNAME=gitenv-admin\nGITEA_TOKEN=%s\n' "$URL" "$TOKEN" >"$SHARED_ENV"
    chmod 600 "$SHARED_ENV"
else
    rm -f "$SHARED_ENV"
    say "starting the Gitea binary (a Go build on the very first run) with data in $DATA"
    cd "$ROOT"
    PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" nohup setsid "$PYTHON" -m pytest_gitenv.cli serve-gitea \
        --data-dir "$DATA" --port "$PORT" --env-file "$SHARED_ENV" </dev/null >>"$DATA/serve.log" 2>&1 &
    echo $! >"$PIDFILE"
    for _ in $(seq 1200); do
        [[ -s $SHARED_ENV ]] && healthy && break
        our_pid >/dev/null || { tail -20 "$DATA/serve.log" >&2; say "the server exited"; exit 1; }
        sleep 0.5
    done
    healthy || { tail -20 "$DATA/serve.log" >&2; say "Gitea did not become healthy"; exit 1; }
fi
say "Gitea is up at $URL"
publish_env
