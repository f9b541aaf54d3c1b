"""The demo dataset: clearly labelled example data for trying the portal on a laptop.

Everything here is made up (except the 2017 cohort's membership, which is public record)
and every round it creates says "(DEMO)" in its name. ``manage.py load_demo`` builds it;
the command refuses to run in production (``HTTPS_ONLY=1``).
"""
