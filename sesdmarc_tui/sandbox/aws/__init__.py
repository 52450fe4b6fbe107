"""The sandbox's AWS: moto's server on loopback, with the SES behaviours moto lacks filled in.

``server.MotoServer`` serves moto; ``ses_shim`` is the WSGI layer in front of it; every moto
internal the layer relies on is in ``moto_bridge``.
"""

import logging

# Nothing the sandbox logs may reach the terminal by default: the wizard owns the screen.
logging.getLogger(__name__).addHandler(logging.NullHandler())
