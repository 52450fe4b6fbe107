"""The offline world behind `sesdmarc demo`: moto, a local DNS server, a mailbox."""
