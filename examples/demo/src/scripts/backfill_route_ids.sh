#!/usr/bin/env bash
# Backfill route UUIDs into tables that still carry numeric ids.
set -euo pipefail

DB_URL="${DATABASE_URL:?set DATABASE_URL}"

# TODO(BL-10): remove this fallback after the UUID migration
psql "$DB_URL" -c "UPDATE shared_links SET route_uuid = r.uuid FROM routes r WHERE shared_links.route_id = r.id AND route_uuid IS NULL"

# HACK: macOS sed needs an empty suffix after -i
sed -i '' -e 's/route_id/route_uuid/' exports/*.csv 2>/dev/null || sed -i -e 's/route_id/route_uuid/' exports/*.csv
