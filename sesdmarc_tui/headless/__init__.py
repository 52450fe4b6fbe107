"""Headless runs of the wizard's steps: ``sesdmarc apply`` (``run``), its ``--dry-run``
(``dry_run``), the session they continue (``session``), the saved sessions that ``export`` and
``init-config`` read (``saved``), and what a run did (``outcome``). Nothing step-specific lives
here: the steps, their inputs and their plans are the flow engine's."""
