"""Collecting DMARC aggregate reports (I/O): files, folders, archives, messages, mboxes, S3.

The pure half (parsing, counting, the readiness verdict) is ``sesdmarc_tui.core.reports``;
this package finds the documents and hands them over, with the same size limits.
"""
