"""boto3 session construction with one shared botocore data loader.

Every boto3 session normally gets its own loader and re-reads and re-parses the service models
and endpoint rules; sharing one loader makes each later client about ten times cheaper to
create (owner, delegate and renewed role sessions all pay it otherwise). The loader only
caches immutable model data, so sharing it across sessions and threads is safe.
"""

from __future__ import annotations

import threading
from typing import Any


class _SharedLoader:
    lock = threading.Lock()
    loader: Any = None


def new_boto3_session(**kwargs: Any) -> Any:
    """``boto3.Session(**kwargs)`` on a fresh botocore session that shares the model loader."""
    import boto3
    import botocore.session

    core = botocore.session.Session()
    with _SharedLoader.lock:
        if _SharedLoader.loader is not None:
            core.register_component("data_loader", _SharedLoader.loader)
        session = boto3.Session(botocore_session=core, **kwargs)
        loader = core.get_component("data_loader")
        _SharedLoader.loader = loader
        # boto3 appends its own data directory on every Session; keep the shared list short.
        loader.search_paths[:] = list(dict.fromkeys(loader.search_paths))
    return session
