#!/usr/bin/env bash
# Checks the dashboard page in headless Chromium (Debian's): starts the service on demo data
# (Scripts/serve.sh: a throwaway PostgreSQL, migrated and seeded), signs in through the page's
# form, and checks that the page loads, draws its twelve-month chart, and that every figure it
# shows (each element with a data-check key) equals the one computed from GET /api/dashboard.
#
#   Scripts/browser-check.sh          # installs chromium from Debian's packages if missing
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DEBIAN_FRONTEND=noninteractive

if ! command -v chromium >/dev/null; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
source Scripts/lib/serve-in-background.sh

curl -fsS -H "Authorization: Bearer $token" "$url/api/dashboard" >"$work/api.json"
# A page that posts the token to the sign-in form; Chromium follows the redirect to /dashboard
# with the cookie it was given, and dumps that page's DOM once it has loaded.
cat >"$work/sign-in.html" <<HTML
<!doctype html><form method="post" action="$url/dashboard/sign-in"><input name="token" value="$token"></form>
<script>document.forms[0].submit()</script>
HTML
chromium --headless --no-sandbox --disable-gpu --user-data-dir="$work/profile" --virtual-time-budget=15000 \
    --dump-dom "file://$work/sign-in.html" >"$work/page.html" 2>"$work/chromium.err" || {
    cat "$work/chromium.err" >&2; exit 1; }

python3 - "$work/api.json" "$work/page.html" <<'PY'
import json, sys
from decimal import Decimal
from html.parser import HTMLParser

api = json.load(open(sys.argv[1]))
html = open(sys.argv[2]).read()

class Figures(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figures, self.key, self.bars, self.chart = {}, None, 0, False
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-check" in attrs:
            self.key = attrs["data-check"]
        if tag == "svg" and attrs.get("id") == "chart":
            self.chart = True
        if tag == "rect" and "data-month" in attrs:
            self.bars += 1
    def handle_data(self, data):
        if self.key is not None:
            self.figures[self.key] = data.strip()
            self.key = None

page = Figures()
page.feed(html)
expected = {}
months = {}
for row in api["expensesByMonth"]:
    key = "expenses:%s:%s" % (row["month"][:7], row["currency"])
    months[key] = months.get(key, Decimal(0)) + Decimal(row["total"])
expected.update({k: "%.2f" % v for k, v in months.items()})
for row in api["totals"]:
    expected["total:%s:%s:%s" % (row["type"], row["category"] or "-", row["currency"])] = row["total"]
for row in api["invoiceAging"]:
    expected["aging:%s:%s:%s" % (row["status"], row["bucket"], row["currency"])] = row["outstanding"]
for row in api["recentTransactions"]:
    expected["recent:%s" % row["id"].lower()] = row["amount"]

problems = []
if not page.chart or page.bars != 12:
    problems.append("the chart has %d bars (12 expected)" % page.bars)
for key, value in sorted(expected.items()):
    shown = page.figures.get(key)
    if shown is None:
        problems.append("%s: missing from the page" % key)
    elif Decimal(shown) != Decimal(value):
        problems.append("%s: page %s, API %s" % (key, shown, value))
for key in sorted(set(page.figures) - set(expected)):
    problems.append("%s: on the page, not in the API" % key)
if problems or not expected:
    print("browser check FAILED:\n  " + "\n  ".join(problems or ["the API returned no figures"]))
    sys.exit(1)
print("browser check passed: the page loaded in Chromium with its 12-month chart; %d figures equal the API's" % len(expected))
PY
