"""Evaluation pages: ``manage`` for the secretariat (rubrics, committees, rounds,
assignments, results), ``review`` for committee members (queue, score sheets) and units
(their finalised results)."""
