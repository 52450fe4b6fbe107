"""Pure email-authentication logic: no I/O. DNS answers arrive through an injected lookup."""
