"""The bench's cpython contender: the seed's own runtime, json.loads -> statement -> json.dumps over the bench file.

Usage: python3 bench_cpython.py DATA.json STATEMENT.py ROUNDS WARMUP
Prints one JSON line: {"records": <output records>, "seconds": [<one per timed round>]}.
"""

import json
import sys
import time


def main():
    data_path, statement_path, rounds, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(data_path, "rb") as data:
        content = data.read()
    with open(statement_path, encoding="utf-8") as statement:
        body = statement.read()
    source = "def __statement__(INPUT_DATA, DATA_CHECKPOINT, ATTRIBUTES, PROPERTIES):\n" + "".join(
        "    " + line + "\n" for line in body.splitlines())
    namespace = {}
    exec(compile(source, "<statement>", "exec"), namespace)
    function = namespace["__statement__"]
    seconds = []
    count = 0
    for round_index in range(warmup + rounds):
        started = time.perf_counter()
        records = json.loads(content.decode("utf-8"))
        result = function(records, None, {}, {})
        output = json.dumps(result).encode("utf-8")
        elapsed = time.perf_counter() - started
        count = len(result)
        if round_index >= warmup:
            seconds.append(elapsed)
        del records, result, output
    print(json.dumps({"records": count, "seconds": seconds}))


if __name__ == "__main__":
    main()
