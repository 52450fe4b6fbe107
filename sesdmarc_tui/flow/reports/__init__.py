"""The wizard's side of DMARC aggregate reports: setting up collection, and reading them.

``setup.ReportsCollectionStep`` creates the reports address with SES email receiving (bucket,
policy, receipt rule, MX); ``reading`` reads and judges the reports with the wizard's own
sessions and remembers the last verdict for the DMARC step and the Summary.
"""
