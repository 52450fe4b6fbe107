"""The wizard engine: steps, session state (resume), audit log."""
