"""ZoneStore: the thread-safe record store behind the sandbox's name server."""

from __future__ import annotations

import threading

import dns.name
import dns.rdatatype
import pytest

from sesdmarc_tui.sandbox.dns.zones import (
    RecordConflict,
    RRsetView,
    ZoneChange,
    ZoneError,
    ZoneStore,
)
from tests.sandbox.dns._support import ZONE


def test_set_get_and_delete_round_trip(store: ZoneStore) -> None:
    store.set_rrset(
        "Mail.Example.Test.", "mx", 600, ["10 mx1.example.test", "20 mx2.example.test."]
    )
    view = store.get_rrset("mail.example.test", "MX")
    assert view == RRsetView(
        "mail.example.test", "MX", 600, ("10 mx1.example.test.", "20 mx2.example.test.")
    )
    assert store.delete_rrset("mail.example.test", "MX") is True
    assert store.get_rrset("mail.example.test", "MX") is None
    assert store.delete_rrset("mail.example.test", "MX") is False


def test_txt_is_held_as_joined_text_and_split_for_the_wire(store: ZoneStore) -> None:
    long = "p=" + "A" * 600
    store.set_rrset("k._domainkey.example.test", "TXT", 300, [long])
    assert store.get_rrset("k._domainkey.example.test", "TXT") == RRsetView(
        "k._domainkey.example.test", "TXT", 300, (long,)
    )
    rdataset = store.rdataset(dns.name.from_text("k._domainkey.example.test."), dns.rdatatype.TXT)
    assert rdataset is not None
    assert [len(s) for s in rdataset[0].strings] == [255, 255, 92]


def test_every_change_bumps_the_serial_once_and_a_batch_once(store: ZoneStore) -> None:
    assert store.serial(ZONE) == 1
    store.set_rrset("a.example.test", "A", 60, ["192.0.2.1"])
    assert store.serial(ZONE) == 2
    with store.batch():
        store.set_rrset("b.example.test", "A", 60, ["192.0.2.2"])
        store.set_rrset("c.example.test", "A", 60, ["192.0.2.3"])
    assert store.serial(ZONE) == 3
    soa = store.get_rrset(ZONE, "SOA")
    assert soa is not None and soa.values[0].split()[2] == "3"
    store.delete_rrset("nothing.example.test", "A")
    assert store.serial(ZONE) == 3  # nothing changed, nothing to bump


def test_a_failed_batch_changes_nothing(store: ZoneStore) -> None:
    with pytest.raises(ZoneError), store.batch():
        store.set_rrset("a.example.test", "A", 60, ["192.0.2.1"])
        store.set_rrset("b.example.test", "A", 60, ["not an address"])
    assert store.get_rrset("a.example.test", "A") is None
    assert store.serial(ZONE) == 1


def test_cname_cannot_share_a_name_with_other_data(store: ZoneStore) -> None:
    store.set_rrset("www.example.test", "CNAME", 300, ["example.test."])
    with pytest.raises(RecordConflict):
        store.set_rrset("www.example.test", "TXT", 300, ["x"])
    store.set_rrset("txt.example.test", "TXT", 300, ["x"])
    with pytest.raises(RecordConflict):
        store.set_rrset("txt.example.test", "CNAME", 300, ["example.test."])
    store.set_rrset("www.example.test", "CNAME", 300, ["other.example.test"])  # replacing is fine
    assert store.get_rrset("www.example.test", "CNAME") == RRsetView(
        "www.example.test", "CNAME", 300, ("other.example.test.",)
    )


@pytest.mark.parametrize(
    ("name", "rtype", "ttl", "values", "message"),
    [
        ("x.other.test", "A", 60, ["192.0.2.1"], "outside every zone"),
        ("x.example.test", "BOGUS", 60, ["1"], "not a record type"),
        ("x.example.test", "ANY", 60, ["1"], "not a type a zone can hold"),
        ("x.example.test", "A", -1, ["192.0.2.1"], "TTL"),
        ("x.example.test", "A", 60, [], "at least one value"),
        ("x.example.test", "TXT", 60, "bare string", "list"),
        ("x.example.test", "MX", 60, ["mail.example.test"], "not a valid MX"),
        ("x.example.test", "CNAME", 60, ["a.test.", "b.test."], "exactly one target"),
        ("example.test", "SOA", 60, ["a. b. 1 2 3 4 5"], "SOA"),
        ("", "A", 60, ["192.0.2.1"], "not a DNS name"),
    ],
)
def test_bad_input_raises_zone_error(
    store: ZoneStore, name: str, rtype: str, ttl: int, values: list[str], message: str
) -> None:
    with pytest.raises(ZoneError, match=message):
        store.set_rrset(name, rtype, ttl, values)


def test_zone_for_picks_the_deepest_zone(store: ZoneStore) -> None:
    store.add_zone("sub.example.test")
    assert store.zone_for("a.b.sub.example.test.") == "sub.example.test"
    assert store.zone_for("other.example.test") == "example.test"
    assert store.zone_for("example.org") is None
    assert store.get_rrset("example.org", "A") is None
    assert store.zones() == ("example.test", "sub.example.test")
    with pytest.raises(ZoneError, match="already served"):
        store.add_zone("Example.Test.")


def test_apex_soa_and_ns_survive_deletion(store: ZoneStore) -> None:
    assert store.delete_rrset(ZONE, "SOA") is False
    assert store.delete_rrset(ZONE, "NS") is False
    assert store.get_rrset(ZONE, "NS") == RRsetView(ZONE, "NS", 3600, ("ns1.example.test.",))
    assert store.get_rrset("ns1.example.test", "A") is not None


def test_snapshot_lists_every_rrset_sorted(store: ZoneStore) -> None:
    store.set_rrset("a.example.test", "TXT", 60, ["hello"])
    names = [(v.name, v.rtype) for v in store.snapshot()]
    assert names == [
        ("a.example.test", "TXT"),
        ("example.test", "NS"),
        ("example.test", "SOA"),
        ("ns1.example.test", "A"),
    ]


def test_listeners_hear_committed_changes_and_can_unsubscribe(store: ZoneStore) -> None:
    heard: list[ZoneChange] = []
    remove = store.add_listener(heard.append)
    with store.batch():
        store.set_rrset("a.example.test", "TXT", 60, ["1"])
        store.set_rrset("a.example.test", "TXT", 60, ["2"])  # one event per RRset
    store.delete_rrset("a.example.test", "TXT")
    remove()
    store.set_rrset("b.example.test", "TXT", 60, ["3"])
    assert heard == [
        ZoneChange(ZONE, "a.example.test", "TXT", 2),
        ZoneChange(ZONE, "a.example.test", "TXT", 3),
    ]


def test_a_failing_listener_neither_undoes_the_change_nor_stops_others(
    store: ZoneStore, caplog: pytest.LogCaptureFixture
) -> None:
    heard: list[str] = []

    def broken(change: ZoneChange) -> None:
        raise RuntimeError("listener bug")

    store.add_listener(broken)
    store.add_listener(lambda change: heard.append(change.name))
    store.set_rrset("a.example.test", "A", 60, ["192.0.2.1"])
    assert heard == ["a.example.test"]
    assert store.get_rrset("a.example.test", "A") is not None
    assert "listener failed" in caplog.text


def test_a_listener_may_write_to_the_store(store: ZoneStore) -> None:
    def follow(change: ZoneChange) -> None:
        if change.name == "a.example.test":
            store.set_rrset("b.example.test", "TXT", 60, ["seen"])

    store.add_listener(follow)
    store.set_rrset("a.example.test", "TXT", 60, ["x"])
    assert store.get_rrset("b.example.test", "TXT") is not None


def test_concurrent_writers_from_threads_lose_nothing(store: ZoneStore) -> None:
    def write(worker: int) -> None:
        for i in range(25):
            store.set_rrset(f"w{worker}-{i}.example.test", "A", 60, [f"192.0.2.{worker}"])

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.serial(ZONE) == 1 + 8 * 25
    assert sum(1 for v in store.snapshot() if v.rtype == "A") == 8 * 25 + 1  # + ns1 glue
