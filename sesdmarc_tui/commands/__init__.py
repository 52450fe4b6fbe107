"""Click sub-commands of ``sesdmarc``; each module registers one command group."""
