"""A warm claimlint that answers ``claimlint check`` without the second of start-up.

``protocol`` (where it listens, how it talks), ``client`` (the command's entry point),
``server`` (the daemon), ``control`` (start, stop, status).
"""
