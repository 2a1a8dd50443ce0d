"""The background worker for exports, run until its queue is empty, then its own peak memory in MB.

Used by dashboard_exports.py: peak resident memory of this process (VmHWM) is the worker's, nothing else's.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("db_worker", queue_name="exports", batch=True, reload=False, startup_delay=False, interval=0)
with open("/proc/self/status") as status:
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(peak_kb / 1024)
