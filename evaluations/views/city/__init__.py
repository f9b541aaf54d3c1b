"""City Diskominfo workspace (namespace ``city``), one module per area.

Every view is wrapped by ``_common.workspace_view``, which resolves the region from the
URL through ``access.get_workspace_membership_or_404`` before the view body runs: a view
never sees a region its user is not a member of, and every object it fetches comes from an
``access`` helper filtered by that region.
"""
