"""Benchmarks (scripts run by hand or by ``make bench``; nothing here is part of the product).

``bench.settings`` and ``bench.urls`` are what the HTTP load benchmark (``bench/load.py``)
serves: production's settings on loopback, and the product's pages plus a floor page.
"""
