#!/usr/bin/env bash
# Backup and restore figures: a throwaway PostgreSQL 15, two seeded organizations, then
# FINANCBASE_BACKUP_TRANSACTIONS rows generated into financbase.transactions (default 1,000,000);
# `financbase-db backup` and `restore` (release build) timed, with their peak RSS, the file's
# size and compression ratio, and the restored database checked table by table (a second
# backup of it must carry the same per-table SHA-256 as the first). Then one organization's
# `export` and its `restore --organization` into a database of its own, timed the same way.
#
#   Scripts/backup-figures.sh                                   # 1,000,000 transactions
#   FINANCBASE_BACKUP_TRANSACTIONS=100000 Scripts/backup-figures.sh
#   FINANCBASE_FIGURES_CONFIGURATION=debug Scripts/backup-figures.sh   # reuse the debug build
#
# CI does not run this script: the Backup tests run the same paths at small scale.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" != "--inside" ]]; then
    bash .ci/install-postgres
    command -v /usr/bin/time >/dev/null || { echo "backup-figures: needs /usr/bin/time (apt-get install -y time)" >&2; exit 1; }
    configuration=${FINANCBASE_FIGURES_CONFIGURATION:-release}
    echo "building financbase-db and pgwire-local-cluster ($configuration)…" >&2
    swift build -c "$configuration" --product financbase-db >&2
    swift build -c "$configuration" --product pgwire-local-cluster >&2
    bin=$(swift build -c "$configuration" --show-bin-path)
    exec "$bin/pgwire-local-cluster" --no-tls -- bash "$0" --inside "$bin"
fi

bin=$2
rows=${FINANCBASE_BACKUP_TRANSACTIONS:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FINANCBASE_APP_PASSWORD=figures-app-password
db=(psql -X -q -v ON_ERROR_STOP=1)

"${db[@]}" -c "CREATE DATABASE fb_source" -c "CREATE DATABASE fb_target"
"$bin/financbase-db" migrate --url "dbname=fb_source" >/dev/null
"$bin/financbase-db" seed --url "dbname=fb_source" >/dev/null
echo "generating $rows transactions…" >&2
"${db[@]}" -d fb_source <<SQL
INSERT INTO financbase.transactions
    (organization_id, user_id, account_id, transaction_number, type, amount, description, category, transaction_date)
SELECT a.organization_id, a.user_id, a.id, 'GEN-' || a.id || '-' || g,
       (ARRAY['income', 'expense', 'transfer', 'payment', 'refund'])[1 + g % 5],
       round((random() * 5000)::numeric, 2), 'generated transaction ' || g, 'figures',
       now() - (g % 1000) * interval '1 hour'
FROM (SELECT * FROM financbase.accounts ORDER BY id) a,
     generate_series(1, ceil($rows::numeric / (SELECT count(*) FROM financbase.accounts))::int) g
LIMIT $rows;
ANALYZE;
SQL

measure() {  # label, command…: prints "label: S seconds, peak RSS K KiB"
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/$label.json"
    read -r seconds rss <"$work/time"
    printf '%-8s %8.2f s   peak RSS %7d KiB\n' "$label" "$seconds" "$rss"
}

total=$("${db[@]}" -d fb_source -At -c "SELECT (SELECT count(*) FROM financbase.transactions) || ' transactions, database ' || pg_size_pretty(pg_database_size('fb_source'))")
echo "source: $total"
measure backup "$bin/financbase-db" backup --url "dbname=fb_source" --out "$work/source.fbbackup" --json
measure restore "$bin/financbase-db" restore --url "dbname=fb_target" --in "$work/source.fbbackup" --json
"$bin/financbase-db" backup --url "dbname=fb_target" --out "$work/target.fbbackup" --json >"$work/check.json"

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
backup = json.load(open(f"{work}/backup.json"))
check = json.load(open(f"{work}/check.json"))
print(f"rows {backup['rows']:,}, uncompressed {backup['uncompressedBytes']:,} bytes, "
      f"file {backup['fileBytes']:,} bytes, compression ratio {backup['compressionRatio']:.2f}")
PY
org=$("${db[@]}" -d fb_source -At -c "SELECT id FROM financbase.organizations ORDER BY name LIMIT 1")
"${db[@]}" -c "CREATE DATABASE fb_org"
measure export "$bin/financbase-db" export --url "dbname=fb_source" --organization "$org" --out "$work/org.fbexport" --json
measure import "$bin/financbase-db" restore --url "dbname=fb_org" --in "$work/org.fbexport" --organization "$org" --json
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
export, imported = json.load(open(f"{work}/export.json")), json.load(open(f"{work}/import.json"))
print(f"organization export: {export['rows']:,} rows, {len(export['tables'])} tables, file {export['fileBytes']:,} bytes, "
      f"ratio {export['compressionRatio']:.2f}; imported {imported['rows']:,} rows")
sys.exit(0 if export["rows"] == imported["rows"] else 1)
PY
# The restored database's streams against the source's, table by table (the journal aside).
python3 - "$work" <<'PY'
import json, struct, sys
def manifest(path):
    with open(path, "rb") as f:
        head = f.read(24)
        length = struct.unpack(">I", head[12:16])[0]
        return {t["name"]: t["sha256"] for t in json.loads(f.read(length))["tables"]}
work = sys.argv[1]
a, b = manifest(f"{work}/source.fbbackup"), manifest(f"{work}/target.fbbackup")
a.pop("financbase_meta.schema_migrations", None); b.pop("financbase_meta.schema_migrations", None)
differ = sorted(name for name in a if a[name] != b.get(name))
print(f"checksum round trip: {len(a)} tables, {'identical' if not differ and a.keys() == b.keys() else 'DIFFERENT: ' + ', '.join(differ)}")
sys.exit(1 if differ or a.keys() != b.keys() else 0)
PY
