# shellcheck shell=bash
# What tools/lab/tunnels.sh and tools/lab/site.sh share: daemons by name under <dir>/pids and <dir>/logs.
# Sourced after DIR is set; the sourcing script defines die().

pidfile() { echo "$DIR/pids/$1.pid"; }

alive() { # name
    local f
    f=$(pidfile "$1")
    [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

kill_daemon() { # name
    local f pid
    f=$(pidfile "$1")
    [ -f "$f" ] || return 0
    pid=$(cat "$f")
    kill -9 "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.02
    done
    rm -f "$f"
}

# starts "$@" in the background, detached from our stdout/stderr (a Java caller reads them to EOF),
# output to <dir>/logs/<name>.log, pid to <dir>/pids/<name>.pid. ip netns exec, unshare and sh all exec,
# so the pid is the daemon's. Not a job of this shell (disown): nothing waits for it.
spawn() { # name command...
    local name=$1
    shift
    setsid "$@" </dev/null >>"$DIR/logs/$name.log" 2>&1 &
    echo $! >"$(pidfile "$name")"
    disown
}

wait_for() { # what seconds command...
    local what=$1 secs=$2 i
    shift 2
    for i in $(seq 1 $((secs * 20))); do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.05
    done
    die "$what not ready after ${secs}s"
}
