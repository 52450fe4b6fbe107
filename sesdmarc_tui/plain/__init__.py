"""The line-mode front end (`sesdmarc --plain`)."""
