"""Conformance scenario for the DataStax Python driver against cqlwire's embedded server.

Run with Debian's /usr/bin/python3 (python3-cassandra 3.25). Arguments:
  scenario.py full HOST PORT PROTOCOL_VERSION COMPRESSION(lz4|none) KEYSPACE
  scenario.py discover HOST PORT PROTOCOL_VERSION EXPECTED_NODE_COUNT
Prints one JSON object on the last line of stdout: what the driver saw, for the test to check.
Every value is rendered as a string so the test compares exact text.
"""
import datetime
import decimal
import ipaddress
import json
import sys
import uuid

from cassandra import InvalidRequest
from cassandra.protocol import SyntaxException
from cassandra.cluster import Cluster
from cassandra.concurrent import execute_concurrent_with_args
from cassandra.query import SimpleStatement
from cassandra.util import Duration, Date, Time

ROWS = 10000


def value_row(i):
    """The values of row i, in the INSERT's column order (c is the clustering key)."""
    return (
        0, i,
        "a%d" % i,
        i * 1000000007,
        bytes([i & 255, (i >> 8) & 255, 7]),
        i % 2 == 0,
        decimal.Decimal("%d.%02d" % (i, i % 100)),
        i + 0.25,
        i + 0.5,
        ipaddress.ip_address("10.0.%d.%d" % ((i >> 8) & 255, i & 255)),
        (i % 30000) - 15000,
        (i % 256) - 128,
        "text %d \u00e9" % i,
        Time(i * 1000001),
        datetime.datetime(2023, 11, 14, 22, 13, 20) + datetime.timedelta(seconds=i),
        uuid.UUID("00000000-0000-1000-8000-%012x" % i),
        uuid.UUID("00000000-0000-4000-8000-%012x" % i),
        int("%d123456789012345678901234567890" % i),
        Date(datetime.date(2000, 1, 1) + datetime.timedelta(days=i)),
        [i, i + 1],
        {"x", "s%d" % i},
        {"k": i},
        (i, "t%d" % i),
    )


def render(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (bytes, bytearray)):
        return "0x" + bytes(v).hex()
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(v, (set, frozenset)) or type(v).__name__ == "SortedSet":
        return "{" + ",".join(sorted(render(x) for x in v)) + "}"
    if isinstance(v, dict) or type(v).__name__ == "OrderedMapSerializedKey":
        return "{" + ",".join("%s:%s" % (render(k), render(x)) for k, x in sorted(v.items())) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(render(x) for x in v) + "]"
    return str(v)


COLUMNS = "p, c, a, big, bl, bo, de, do, fl, ip, sm, ti, te, tm, ts, tu, uu, vi, da, li, se, ma, tp"
CREATE = """CREATE TABLE every (
  p int, c int, a ascii, big bigint, bl blob, bo boolean, de decimal, do double, fl float, ip inet,
  sm smallint, ti tinyint, te text, tm time, ts timestamp, tu timeuuid, uu uuid, vi varint, da date,
  li list<int>, se set<text>, ma map<text, int>, tp frozen<tuple<int, text>>,
  PRIMARY KEY (p, c))"""


def full(host, port, version, compression, keyspace):
    out = {}
    cluster = Cluster([host], port=port, protocol_version=version, compression=(compression == "lz4"),
                      connect_timeout=10, control_connection_timeout=10)
    session = cluster.connect()
    out["protocol_version"] = cluster.protocol_version
    # whether the driver negotiated lz4 (a private attribute: read only to check the negotiation)
    out["lz4"] = cluster.control_connection._connection.compressor is not None
    session.execute("CREATE KEYSPACE %s WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}" % keyspace)
    session.set_keyspace(keyspace)
    session.execute(CREATE)
    insert = session.prepare("INSERT INTO every (%s) VALUES (%s)" % (COLUMNS, ", ".join("?" * 23)))
    results = execute_concurrent_with_args(session, insert, [value_row(i) for i in range(ROWS)], concurrency=64)
    out["insert_failures"] = sum(1 for ok, _ in results if not ok)

    statement = SimpleStatement("SELECT %s FROM every WHERE p = 0" % COLUMNS, fetch_size=100)
    rows = 0
    mismatches = []
    pages = 0
    result = session.execute(statement)
    while True:
        pages += 1
        for row in result.current_rows:
            expected = [render(v) for v in value_row(rows)]
            got = [render(v) for v in row]
            if got != expected and len(mismatches) < 3:
                mismatches.append({"row": rows, "expected": expected, "got": got})
            rows += 1
        if not result.has_more_pages:
            break
        result = session.execute(statement, paging_state=result.paging_state)
    out["rows"] = rows
    out["pages"] = pages
    out["mismatches"] = mismatches

    out["count"] = session.execute("SELECT COUNT(*) FROM every").one()[0]
    select = session.prepare("SELECT c, te FROM every WHERE p = ? AND c = ?")
    out["prepared_select"] = [render(v) for v in session.execute(select, (0, 4242)).one()]

    try:
        session.execute("SELEC * FROM every")
        out["syntax_error"] = "no error"
    except SyntaxException as e:
        out["syntax_error"] = "SyntaxException"
    except Exception as e:  # the wrong class is a failure the test shows
        out["syntax_error"] = type(e).__name__
    try:
        session.execute("SELECT * FROM no_such_table")
        out["unknown_table"] = "no error"
    except InvalidRequest as e:
        out["unknown_table"] = "InvalidRequest: " + str(e.message if hasattr(e, "message") else e)
    except Exception as e:
        out["unknown_table"] = type(e).__name__
    cluster.shutdown()
    return out


def discover(host, port, version, expected):
    cluster = Cluster([host], port=port, protocol_version=version, connect_timeout=10, control_connection_timeout=10)
    cluster.connect()
    hosts = sorted("%s:%d" % (h.endpoint.address, h.endpoint.port) for h in cluster.metadata.all_hosts())
    dcs = sorted(set(h.datacenter for h in cluster.metadata.all_hosts()))
    up = sum(1 for h in cluster.metadata.all_hosts() if h.is_up)
    partitioner = cluster.metadata.partitioner
    token_count = len(cluster.metadata.token_map.ring) if cluster.metadata.token_map else 0
    cluster.shutdown()
    return {"hosts": hosts, "dcs": dcs, "up": up, "partitioner": partitioner, "tokens": token_count, "expected": expected}


def main():
    mode = sys.argv[1]
    if mode == "full":
        out = full(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6])
    elif mode == "discover":
        out = discover(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        raise SystemExit("unknown mode " + mode)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
