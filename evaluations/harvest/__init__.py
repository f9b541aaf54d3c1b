"""Open data for machines: Table Schemas and Frictionless Data Packages, the DCAT-AP
catalogue, the read-only JSON API and its OpenAPI description, HTTP validators and CORS.

Everything here reads published data only, through ``evaluations.access``. The people's
downloads (one round's results as CSV, XLSX, JSON) stay in ``evaluations.opendata``; the
``results`` table of a data package is the same rows (``opendata.result_rows``), so a
person's file and a machine's resource never disagree.
"""
