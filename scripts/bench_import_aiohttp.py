#!/usr/bin/env python3
"""A small aiohttp importer doing the same upsert as `labelport import`, for comparison.

Reads a JSONL file of label rows for one run, lists the run's labels once, then POSTs a
create for every row whose output_resource_name is not there yet, with a fixed number of
requests in flight. Prints one JSON line: {"rows", "requests", "seconds", "rps"}.

usage: bench_import_aiohttp.py BASE_URL TOKEN FILE.jsonl --run-id UUID --concurrency N
"""
import argparse
import asyncio
import json
import time

import aiohttp


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("token")
    parser.add_argument("file")
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()

    headers = {"Authorization": f"Bearer {args.token}", "Content-Type": "application/json"}
    url = f"{args.base_url}/v1/run/{args.run_id}/gold-labels"
    rows = []
    with open(args.file, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))

    connector = aiohttp.TCPConnector(limit=args.concurrency)
    requests = 0
    start = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        async with session.get(url) as response:
            existing = {label["output_resource_name"] for label in await response.json()}
        requests += 1
        queue = asyncio.Queue()
        for row in rows:
            if row["output_resource_name"] not in existing:
                queue.put_nowait(row)

        async def worker():
            nonlocal requests
            while True:
                try:
                    row = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                body = {k: row[k] for k in ("output_resource_name", "text_value", "object_value", "object_value_is_partial") if k in row}
                async with session.post(url, data=json.dumps(body)) as response:
                    await response.read()
                    if response.status != 201:
                        raise RuntimeError(f"status {response.status}")
                requests += 1

        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    seconds = time.perf_counter() - start
    print(json.dumps({"rows": len(rows), "requests": requests, "seconds": seconds, "rps": requests / seconds}))


asyncio.run(main())
