#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for development and tests: initdb as an unprivileged user
# in a temporary folder, listening on loopback only, on a free port.
#
#   export SINMUNGO_DB=$(Scripts/postgres.sh start)     # prints the address to use
#   Scripts/postgres.sh start --until-exit PID           # the same, stopped and deleted when process PID ends
#   Scripts/postgres.sh stop [ADDRESS]                   # default $SINMUNGO_DB; stops it by its pid file and deletes it
#   Scripts/postgres.sh standby PRIMARY                  # a hot standby of PRIMARY (pg_basebackup -R); prints its address
#   Scripts/postgres.sh crash [ADDRESS]                  # pg_ctl stop -m immediate: as a power cut would
#   Scripts/postgres.sh restart [ADDRESS]                # starts a crashed cluster again, which recovers from its WAL
#
# The folder is /tmp/sinmungo-pg-PORT, so the address alone finds it. Logins are trusted on
# loopback (no password): a throwaway cluster for one machine, never a server. Members of the
# role sinmungo_password_login (the desk's tests make it) sign in by password instead.
set -euo pipefail

bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "postgres.sh: PostgreSQL's server programs are not installed (apt-get install postgresql)" >&2
    exit 69
fi

# initdb and the server refuse to run as root: run them as the postgres user then.
as_owner() {
    # runuser lives in /usr/sbin, which a user's PATH may leave out.
    if [ "$(id -u)" -eq 0 ]; then "$(command -v runuser || echo /usr/sbin/runuser)" -u postgres -- "$@"; else "$@"; fi
}

folder_of() {
    local address=${1:-${SINMUNGO_DB:-}}
    local port
    port=$(printf '%s' "$address" | sed -nE 's#^postgres(ql)?://[^/]*:([0-9]+)(/.*)?$#\2#p')
    if [ -z "$port" ]; then
        echo "postgres.sh: give the address start printed (postgresql://sinmungo@127.0.0.1:PORT/sinmungo), not \"$address\"" >&2
        exit 64
    fi
    echo "/tmp/sinmungo-pg-$port"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

launch() { # folder port
    # The server outlives this script: it must not keep a pipe its caller inherited open
    # (a test process starting it while other tests read their children's output would wait
    # on those pipes forever). Bash reads this script through fd 255.
    for fd in /proc/$$/fd/*; do
        fd=${fd##*/}
        if [ "$fd" -gt 2 ] && [ "$fd" -lt 255 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    as_owner "$bin/pg_ctl" -D "$1" -l "$1/server.log" -w -t 60 \
        -o "-p $2 -c unix_socket_directories= -c listen_addresses=127.0.0.1" start >/dev/null
}

new_folder() { # port
    local folder="/tmp/sinmungo-pg-$1"
    rm -rf "$folder"
    mkdir -m 700 "$folder"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$folder"; fi
    echo "$folder"
}

case "${1:-}" in
start)
    owner=""
    if [ "${2:-}" = "--until-exit" ]; then
        owner=${3:-}
        case "$owner" in
        '' | *[!0-9]*) echo "postgres.sh: --until-exit takes the id of a running process, not \"$owner\"" >&2; exit 64 ;;
        esac
        kill -0 "$owner" 2>/dev/null || { echo "postgres.sh: no running process $owner for --until-exit" >&2; exit 64; }
    fi
    port=$(free_port)
    folder=$(new_folder "$port")
    as_owner "$bin/initdb" -D "$folder" -U sinmungo --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # Members of sinmungo_password_login sign in by password, as officers at the desk do.
    hba=$(cat "$folder/pg_hba.conf")
    printf 'host all +sinmungo_password_login 127.0.0.1/32 scram-sha-256\n%s\n' "$hba" >"$folder/pg_hba.conf"
    launch "$folder" "$port"
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U sinmungo sinmungo
    address="postgresql://sinmungo@127.0.0.1:$port/sinmungo"
    if [ -n "$owner" ]; then
        # A watcher of its own session stops the cluster when the owner ends, even by a crash
        # or SIGKILL that runs no exit handler; it holds none of the caller's pipes.
        self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
        setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; exec bash "$2" stop "$3"' \
            watch "$owner" "$self" "$address" </dev/null >/dev/null 2>&1 &
    fi
    echo "$address"
    ;;
standby)
    primary=${2:?give the primary\'s address}
    primary_port=$(printf '%s' "$primary" | sed -nE 's#^postgres(ql)?://[^/]*:([0-9]+)(/.*)?$#\2#p')
    [ -n "$primary_port" ] || { echo "postgres.sh: not an address of a cluster start made: $primary" >&2; exit 64; }
    port=$(free_port)
    folder=$(new_folder "$port")
    rmdir "$folder"
    as_owner "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U sinmungo -D "$folder" -R -X stream -c fast
    launch "$folder" "$port"
    echo "postgresql://sinmungo@127.0.0.1:$port/sinmungo"
    ;;
stop)
    folder=$(folder_of "${2:-}")
    if [ -f "$folder/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$folder" -m fast -w stop >/dev/null
    fi
    rm -rf "$folder"
    ;;
crash)
    folder=$(folder_of "${2:-}")
    as_owner "$bin/pg_ctl" -D "$folder" -m immediate -w stop >/dev/null
    ;;
restart)
    address=${2:-${SINMUNGO_DB:-}}
    folder=$(folder_of "$address")
    port=${folder##*-}
    launch "$folder" "$port"
    ;;
*)
    echo "usage: Scripts/postgres.sh start | stop [ADDRESS] | standby PRIMARY | crash [ADDRESS] | restart [ADDRESS]" >&2
    exit 64
    ;;
esac
