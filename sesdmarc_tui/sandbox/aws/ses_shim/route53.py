"""Route 53 changes mirrored into the sandbox's DNS, so what the wizard writes there resolves.

moto stores record sets but serves no DNS (test-infra.md s2). A change batch is applied to the
DNS store and to moto inside one store batch: if moto refuses it, the DNS change is rolled
back; if DNS cannot hold it (a CNAME next to other data, which moto accepts but Route 53
refuses), the caller gets Route 53's ``InvalidChangeBatch`` and moto never sees it. Only the
first public hosted zone of a name is mirrored: it plays the zone the registrar delegates to,
and records written into a second zone of the same name stay invisible, as on the internet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sesdmarc_tui.core.names import normalize_domain
from sesdmarc_tui.sandbox.aws.ses_shim.http import Response, ShimError
from sesdmarc_tui.sandbox.aws.ses_shim.state import Call, ShimState
from sesdmarc_tui.sandbox.dns.route53_mirror import apply_route53_changes
from sesdmarc_tui.sandbox.dns.zones import ZoneError

NAMESPACE = "https://route53.amazonaws.com/doc/2013-04-01/"
NS_TTL = 172800  # Route 53's TTL for a hosted zone's NS record set
NAME_SERVER_ADDRESS = "127.0.0.1"  # every sandbox name server is the sandbox's own


class _Refused(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def _xml(body: bytes) -> Any:
    """Parsed with defusedxml: any local process may send the sandbox a request."""
    from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

    return fromstring(body)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _children(node: Any, name: str) -> list[Any]:
    return [child for child in node if _local(child.tag) == name]


def _text(node: Any, name: str) -> str | None:
    found = _children(node, name)
    return (found[0].text or "") if found else None


def parse_changes(body: bytes) -> list[dict[str, Any]]:
    """The ``Changes`` of a ChangeResourceRecordSets request, in boto3's shape."""
    changes: list[dict[str, Any]] = []
    for change in _xml(body).iter():
        if _local(change.tag) != "Change":
            continue
        rrset_nodes = _children(change, "ResourceRecordSet")
        rrset: dict[str, Any] = {}
        if rrset_nodes:
            node = rrset_nodes[0]
            for field in ("Name", "Type", "SetIdentifier"):
                value = _text(node, field)
                if value is not None:
                    rrset[field] = value
            ttl = _text(node, "TTL")
            if ttl is not None:
                rrset["TTL"] = int(ttl)
            if _children(node, "AliasTarget"):
                rrset["AliasTarget"] = {}
            records = _children(node, "ResourceRecords")
            if records:
                rrset["ResourceRecords"] = [
                    {"Value": _text(record, "Value") or ""}
                    for record in _children(records[0], "ResourceRecord")
                ]
        changes.append({"Action": _text(change, "Action"), "ResourceRecordSet": rrset})
    return changes


def mirror_zone(
    state: ShimState, zone_id: str, name: str, name_servers: Sequence[str] = ()
) -> bool:
    """Serve hosted zone ``zone_id`` in DNS, unless another zone of that name already is.

    The zone's apex NS becomes its delegation set, and each name server gets an address, as
    the registrar's delegation makes it on the internet: the wizard's "is this the delegated
    zone?" check compares exactly those names with what ``GetHostedZone`` lists.
    """
    origin = name.rstrip(".").lower()
    store = state.store
    if store is None or origin in state.mirrored_zones.values():
        return False
    if origin not in store.zones():
        store.add_zone(origin)
    hosts = [normalize_domain(h) for h in name_servers]
    if hosts:
        with store.batch():
            store.set_rrset(origin, "NS", NS_TTL, [f"{h}." for h in hosts])
            for host in hosts:
                if store.zone_for(host) is None:
                    # The host's parent stands in for its registered domain (no PSL load).
                    store.add_zone(host.partition(".")[2])
                store.set_rrset(host, "A", NS_TTL, [NAME_SERVER_ADDRESS])
    state.mirrored_zones[zone_id.rpartition("/")[2]] = origin
    return True


def change_records(call: Call, zone: str) -> Response:
    store = call.state.store
    if store is None or zone.rpartition("/")[2] not in call.state.mirrored_zones:
        return call.forward(call.request)
    try:
        changes = parse_changes(call.request.body)
    except (ValueError, SyntaxError):
        return call.forward(call.request)  # malformed XML: moto answers as Route 53 would
    try:
        with store.batch():
            apply_route53_changes(store, changes)
            response = call.forward(call.request)
            if response.status >= 300:
                raise _Refused(response)
    except _Refused as refused:
        return refused.response
    except ZoneError as exc:
        raise ShimError(400, "InvalidChangeBatch", f"Invalid change batch: {exc}") from None
    return response


def create_zone(call: Call) -> Response:
    response = call.forward(call.request)
    if response.status >= 300 or call.state.store is None:
        return response
    root = _xml(response.body)
    zone = next((n for n in root.iter() if _local(n.tag) == "HostedZone"), None)
    if zone is None:
        return response
    config = next((n for n in zone.iter() if _local(n.tag) == "Config"), None)
    private = config is not None and (_text(config, "PrivateZone") or "").lower() == "true"
    zone_id, name = _text(zone, "Id"), _text(zone, "Name")
    servers = [n.text or "" for n in root.iter() if _local(n.tag) == "NameServer"]
    if zone_id and name and not private:
        mirror_zone(call.state, zone_id, name, [s for s in servers if s])
    return response


def delete_zone(call: Call, zone: str) -> Response:
    response = call.forward(call.request)
    if response.status < 300:
        call.state.mirrored_zones.pop(zone.rpartition("/")[2], None)
    return response
