"""The leaders' dashboard: its data (``data``) and the grouped queries behind it
(``selectors.dashboard_for``)."""
