"""The commented ``setup.toml`` that ``sesdmarc init-config`` writes: the format's reference.

It must load and validate as it is (a test checks that), so every active line is a working
value for example.com; alternatives are commented out beside it.
"""

from __future__ import annotations

EXAMPLE = """\
# setup.toml: what `sesdmarc apply --config setup.toml` sets up, step by step, as the wizard
# would. Every key below is optional unless marked REQUIRED. Values are checked by the same
# rules as the wizard's fields; a wrong one is reported with the file, the key, what is wrong
# and an example, and nothing is changed (exit code 2).
#
#   sesdmarc apply --config setup.toml --dry-run   # every AWS call and DNS change, nothing done
#   sesdmarc apply --config setup.toml             # apply, waiting for DKIM and MAIL FROM
#   sesdmarc apply --config setup.toml --no-wait   # publish, report what is still pending
#
# Apply is idempotent (a second run makes no change and says "nothing to do") and resumes
# an interrupted run: it keeps the same session file as the wizard for the account, region and
# domain. Secrets (TSIG key, external ID) are read from an environment variable or a file at
# run time and are never written to the session, the audit log or the screen.

version = 1

[accounts]
# The AWS profile of the account that owns the domain identity in SES (from ~/.aws/config).
# Leave it out to use the default credential chain (environment variables, instance role).
profile = "mail-admin"
# REQUIRED. The SES region: identities, policies, sandbox status and quotas are per region,
# and delegate accounts send in this region too.
region = "eu-west-1"

[domain]
# REQUIRED. The domain mail is sent From (IDN allowed; it is converted to its A-label form).
name = "example.com"
# REQUIRED. How the DNS records get published:
#   "route53"  the tool writes them to the public hosted zone (found by walking up the labels)
#   "rfc2136"  signed dynamic updates (TSIG) to your primary server: BIND, Knot, PowerDNS
#   "manual"   you add them at your DNS host; apply prints them and waits until DNS shows them
dns_provider = "route53"
# For "rfc2136" and "manual" only: the zone apex, when it cannot be found from DNS.
# zone = "example.com"

[domain.route53]
# The profile of the account whose hosted zone holds the domain (default: the owner's).
# profile = "dns-admin"
# Only when several public zones share the name: the one the registrar delegates to.
# zone_id = "Z0123456789ABCDEFGHIJ"

# [domain.rfc2136]
# server = "192.0.2.53"                # REQUIRED for rfc2136: the primary's IP address
# port = 53
# key_name = "sesdmarc."               # leave out only if the server takes unsigned updates
# algorithm = "hmac-sha256"
# secret_env = "SESDMARC_TSIG_SECRET"  # the base64 secret, from this environment variable
# secret_file = "/etc/sesdmarc/tsig.key"  # ...or from a file: the bare secret, or a BIND key
#                                      # file (tsig-keygen output; its key name and algorithm
#                                      # are used when key_name/algorithm are left out)

# The DKIM step has no settings: apply creates the identity with Easy DKIM (2048-bit keys),
# publishes the three CNAMEs SES returns, and waits until SES reports SUCCESS.

[mail_from]
# The custom MAIL FROM subdomain (a bare label means <label>.<domain>). It is used only as the
# bounce address: it must not receive mail. Default: "mail".
subdomain = "mail"
# If SES cannot find the MX: "USE_DEFAULT_VALUE" sends with an amazonses.com MAIL FROM (mail is
# delivered, SPF does not align; DKIM still can); "REJECT_MESSAGE" refuses to send.
behavior_on_mx_failure = "USE_DEFAULT_VALUE"

[dmarc]
# The staged policy, published at _dmarc.<organizational domain>:
#   1 monitor (p=none)      2 test quarantine (p=quarantine, t=y)      3 quarantine
#   4 test reject (p=reject, t=y)      5 reject
# Start at 1 and move up as the aggregate reports show every sender passing.
stage = 1
# Aggregate report addresses. An address in another organization's domain needs a record in
# that domain (apply shows it; it cannot publish it).
rua = ["dmarc-reports@example.com"]
# Failure reports (few receivers send them; they may contain message content).
# ruf = ["dmarc-failures@example.com"]
# Policies for existing (sp) and non-existent (np) subdomains: "inherit" (same as p), "none",
# "quarantine" or "reject".
sp = "inherit"
np = "inherit"
# Only "relaxed" is accepted: with SES, strict alignment can never pass (the MAIL FROM is a
# subdomain, and SES signs mail From subdomains with the parent domain).
alignment = "relaxed"

[authorization]
# Leave this whole section out to set no sending authorization policy.
# Who may send as the domain:
#   "organization"  every account of the owner's organization
#   "ou_subtree"    accounts in the listed OUs and all OUs below them
#   "ou_direct"     only accounts placed directly in the listed OUs
#   "accounts"      only the listed account IDs
scope = "ou_subtree"
# For the OU scopes: OU IDs (ou-...) when the owner can read the organization tree, else full
# org paths (o-.../r-.../ou-.../). For "accounts": 12-digit account IDs.
targets = ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"]
# Optional ses:FromAddress patterns the delegates are limited to.
# from_addresses = ["*@example.com"]
policy_name = "sesdmarc-delegated-sending"

[test_email]
# Leave this whole section out to send no test email. The delegate sends in the owner's region
# with FromEmailAddressIdentityArn; while an account is in the SES sandbox, "to" must be a
# verified identity. A sent test email is remembered: a later apply never sends it again.
# As the delegate: its own profile...
delegate_profile = "marketing-sender"
# ...or a role assumed from the owner (then leave delegate_profile out):
# role_arn = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"
# external_id_env = "SESDMARC_EXTERNAL_ID"   # only if the role's trust policy asks for one
# external_id_file = "/etc/sesdmarc/external-id"
from = "test@example.com"
# REQUIRED in this section: a mailbox you can read.
to = "ops@example.com"
# subject = "sesdmarc test for example.com"
"""
