"""The Textual front end: the App, one module per wizard step, and widgets."""
