#!/usr/bin/python3
"""The anchor of `mselab bench data`: Python's pickle.load of a dataset file, as the official loader does it.

Usage: pickle_load.py FILE. Prints {"seconds": load wall time, "peak_rss_mb": the process's peak resident memory}.
numpy is imported first, as the official loader imports it at the top: its import is not part of the load.
"""
import json
import pickle
import resource
import sys
import time

import numpy  # noqa: F401  (imported before the clock starts, as in load_data.py)

start = time.perf_counter()
with open(sys.argv[1], "rb") as handle:
    data = pickle.load(handle)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
