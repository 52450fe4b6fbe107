"""sesdmarc-tui: make Amazon SES mail pass DMARC across several AWS accounts."""

__version__ = "0.1.0"
