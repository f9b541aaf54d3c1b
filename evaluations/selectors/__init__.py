"""Reads: typed functions that return what a page needs (writes are in ``services``)."""
