#!/usr/bin/env bash
# A desk to try on the 2019 fixture, with a demo roster (importing the fixture puts its
# departments and officers on the roster):
#   Scripts/desk-demo.sh [FOLDER] [PORT] [POSTGRESQL-ADDRESS]   then open http://127.0.0.1:PORT/
# Builds the tool and the desk, makes FOLDER/demo.sqlite from the fixture (once), adopts
# the fixture's departments and officers into the roster, adds an administrator, an auditor
# and statistics staff, gives each demo account the password `sinmungo-demo`, and serves
# the desk on loopback until Ctrl-C. DESK_SETUP_ONLY=1 stops after the set-up.
# With a PostgreSQL address (a throwaway cluster of Scripts/postgres.sh: it creates logins),
# the log is the default office there instead, each demo officer signs in with a database
# login of their own id and that password, tied to them on the roster, and FOLDER keeps the
# desk's own files.
set -euo pipefail
cd "$(dirname "$0")/.."
folder=${1:-desk-demo}
port=${2:-8080}
server=${3:-}
swift build --product sinmungo >/dev/null 2>&1
swift build --product sinmungo-desk >/dev/null 2>&1
bin=$(swift build --show-bin-path)
mkdir -p "$folder"
export SINMUNGO_DB="$folder/demo.sqlite"
if [ -n "$server" ]; then
    export SINMUNGO_DB="$server"
    "$bin/sinmungo" init >/dev/null
    if [ "$(psql -X -At "$server" -c "SELECT count(*) FROM sinmungo.event WHERE office = 'default'")" = 0 ]; then
        "$bin/sinmungo" import Fixtures/yeongdeungpo-2019.jsonl >/dev/null 2>&1
        add() { "$bin/sinmungo" roster officer add "$@" --actor demo-admin --reason "demo roster" >/dev/null; }
        add demo-admin --role administrator
        add demo-audit --role auditor --account demo-audit
        add demo-stat --role statistics-staff --account demo-stat
        add demo-privacy --role privacy-officer --account demo-privacy
        for officer in ydp-0412 ydp-0415; do
            "$bin/sinmungo" roster officer change "$officer" --role officer --account "$officer" --actor demo-admin \
                --reason "demo roster" >/dev/null
        done
        "$bin/sinmungo" roster officer change ydp-0420 --role team-lead --account ydp-0420 --actor demo-admin \
            --reason "demo roster" >/dev/null
        login() { # id role
            echo "CREATE ROLE \"$1\" LOGIN PASSWORD 'sinmungo-demo' IN ROLE $2, sinmungo_password_login;"
            echo "INSERT INTO sinmungo.officer VALUES ('$1', 'default') ON CONFLICT DO NOTHING;"
        }
        psql -X -q -v ON_ERROR_STOP=1 "$server" >/dev/null <<SQL
DO \$\$ BEGIN CREATE ROLE sinmungo_password_login NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;
$(login ydp-0412 sinmungo_officer; login ydp-0415 sinmungo_officer; login ydp-0420 sinmungo_officer)
$(login demo-audit sinmungo_auditor; login demo-stat sinmungo_statistics; login demo-privacy sinmungo_privacy_officer)
SQL
    fi
    echo "desk: http://127.0.0.1:$port/  (database logins, password sinmungo-demo)"
    echo "  officers ydp-0412, ydp-0415 · team lead ydp-0420 · auditor demo-audit · statistics demo-stat · privacy demo-privacy"
    [ "${DESK_SETUP_ONLY:-0}" = 1 ] && exit 0
    exec "$bin/sinmungo" serve --port "$port" --desk-files "$folder"
fi
if [ ! -s "$SINMUNGO_DB" ]; then
    "$bin/sinmungo" init >/dev/null
    "$bin/sinmungo" import Fixtures/yeongdeungpo-2019.jsonl >/dev/null 2>&1
    add() { "$bin/sinmungo" roster officer add "$@" --actor demo-admin --reason "demo roster" >/dev/null; }
    add demo-admin --role administrator
    add demo-audit --role auditor
    add demo-stat --role statistics-staff
    add demo-privacy --role privacy-officer
    "$bin/sinmungo" roster officer change ydp-0420 --role team-lead --actor demo-admin --reason "demo roster" >/dev/null
    for officer in ydp-0412 ydp-0415 ydp-0420 demo-audit demo-stat demo-privacy; do
        echo "sinmungo-demo" | "$bin/sinmungo-desk" password --db "$SINMUNGO_DB" "$officer" >/dev/null
    done
fi
echo "desk: http://127.0.0.1:$port/  (password sinmungo-demo)"
echo "  officers ydp-0412, ydp-0415 · team lead ydp-0420 · auditor demo-audit · statistics demo-stat · privacy demo-privacy"
[ "${DESK_SETUP_ONLY:-0}" = 1 ] && exit 0
exec "$bin/sinmungo" serve --port "$port"
