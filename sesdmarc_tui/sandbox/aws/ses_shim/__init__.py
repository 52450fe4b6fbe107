"""The SES v2 and Route 53 behaviours moto lacks or fakes, as a WSGI layer in front of moto.

``middleware`` routes; ``identities``/``identity_api``/``status``/``verification`` own SES
identities, Easy DKIM and their DNS-driven status; ``mail_from``, ``policies``, ``account`` and
``send``/``delivery`` are one SES call family each; ``route53`` mirrors record changes into the
sandbox's DNS; ``state`` holds what they share and ``http`` the wire formats.
"""
