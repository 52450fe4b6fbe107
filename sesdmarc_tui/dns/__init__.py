"""Live DNS: queries, propagation, providers. Everything here does network I/O."""
