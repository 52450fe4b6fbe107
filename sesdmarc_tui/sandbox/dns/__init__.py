"""The sandbox's DNS: an authoritative server, simulated recursive resolvers and their zones.

``runner.SandboxDns`` starts everything on one background thread; ``zones.ZoneStore`` holds the
data and may be changed from any thread; ``route53_mirror`` copies Route 53 changes into it.
"""
