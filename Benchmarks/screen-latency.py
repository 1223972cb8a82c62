#!/usr/bin/env python3
"""How long after a webhook was answered its payment reached the live screens, from the files of
one run: sse-screens.py's OUT_DIR, choso-load's --acked-at file ("unix-ms provider-id" lines) and
a map of "transfer-id provider-id" lines read from the database. Prints one line:
"<events> <median ms> <p99 ms> <acked payments never shown>". A screen that shows a payment
before its webhook's answer arrives counts as 0 ms.

    screen-latency.py OUT_DIR ACKED_AT TRANSFER_MAP
"""
import glob
import json
import os
import sys

folder, acked_file, map_file = sys.argv[1:4]
acked = {}
for line in open(acked_file):
    ms, provider_id = line.split()
    acked.setdefault(provider_id, int(ms))
provider_of = dict(line.split() for line in open(map_file) if line.strip())
first_shown = {}
for path in glob.glob(os.path.join(folder, "screen-*.jsonl")):
    for line in open(path):
        event = json.loads(line)
        first_shown.setdefault(event["transferId"], event["at"] * 1000)
delays = sorted(max(0.0, shown - acked[provider_of[transfer]])
                for transfer, shown in first_shown.items() if provider_of.get(transfer) in acked)
shown_providers = {provider_of.get(transfer) for transfer in first_shown}
never = sum(1 for transfer, provider in provider_of.items() if provider in acked and provider not in shown_providers)
if not delays:
    print(f"0 nan nan {never}")
else:
    print(f"{len(delays)} {delays[len(delays) // 2]:.0f} {delays[min(len(delays) - 1, int(len(delays) * 0.99))]:.0f} {never}")
