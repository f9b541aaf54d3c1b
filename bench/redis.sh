# Sourced by bench/bench.sh and loadtest/run.sh: a private Redis for one run, the shared
# cache of production (as deploy/ and `make stack` run it), on 127.0.0.1 only.
#
#   start_redis PORT NAME   start it (no-op when PORT is 0 or redis-server is missing) and
#                           export REDIS_URL; returns 1 when none was started
#   stop_redis              stop it and remove its directory (call it from an EXIT trap)

start_redis() {
    local port=$1 name=$2
    [[ $port != 0 ]] && command -v redis-server >/dev/null || return 1
    redis_dir=$(mktemp -d "/tmp/$name-redis.XXXXXX")
    redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
        --daemonize yes --pidfile "$redis_dir/pid" --logfile "$redis_dir/log" --dir "$redis_dir"
    export REDIS_URL=redis://127.0.0.1:$port/0
}

# Redis writes its log as it shuts down: wait for it to exit before removing its directory
# (removing it at once failed now and then with "Directory not empty", failing the run).
stop_redis() {
    [[ -n ${redis_dir:-} ]] || return 0
    local pid
    pid=$(cat "$redis_dir/pid" 2>/dev/null || true)
    if [[ -n $pid ]]; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$redis_dir"
}
