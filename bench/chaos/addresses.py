"""Requests from a loopback address of their own (127.0.0.2, 127.0.1.N…): a person of their own as
far as the site's per-address rate limits go, in the chaos run and the soak alike."""

from requests.adapters import HTTPAdapter


class SourceAddress(HTTPAdapter):
    """Connections from one loopback address."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)
