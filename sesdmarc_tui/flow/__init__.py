"""The wizard engine: steps, session state (resume), audit log.

Front ends (Textual screens, the questionary line mode, headless ``sesdmarc apply``) drive
``engine.Wizard`` with a ``context.FlowContext`` and render the data of ``model``: fields,
inspections (facts, expected DNS records), plans (actions, blockers, previews), apply reports
and statuses. Nothing step-specific lives in a front end.

Modules: ``model`` (the vocabulary), ``context`` (what the environment injects), ``state`` and
``store`` (the session file), ``audit`` (the JSON Lines log), ``runner`` (apply, one audited
and saved action at a time), ``providers`` (the chosen DNS provider), ``validators``,
``steps`` (one module per step) and ``engine`` (the ``Wizard``).
"""
