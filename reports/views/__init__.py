"""The reports pages under ``/bao-cao/``, one module per area (composed in
``reports.urls``): the reports home, the narrative editor and preview of the annual report,
the five-year summary, the run page with its downloads, the issuer profiles and the units'
yearly plans."""
