"""A clinic chain's data for load benchmarks: `manage.py seed_chain` (seed.py)."""
