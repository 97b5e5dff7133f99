#!/usr/bin/env python3
"""A small aiohttp importer doing the same upsert as `labelport import`, for comparison.

Reads a JSONL file of label rows for one run, lists the run's labels once, then POSTs a
create for every row whose output_resource_name is not there yet, with a fixed number of
requests in flight. A 429 is retried the straightforward way: every worker pauses for the
Retry-After the server asked, then all resume. Prints one JSON line:
{"rows", "requests", "refused", "seconds", "rps"}.

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
    refused = 0
    resume_at = 0.0
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
            nonlocal requests, refused, resume_at
            while True:
                try:
                    row = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                body = json.dumps({k: row[k] for k in ("output_resource_name", "text_value", "object_value", "object_value_is_partial") if k in row})
                while True:
                    wait = resume_at - time.perf_counter()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    async with session.post(url, data=body) as response:
                        await response.read()
                        requests += 1
                        if response.status == 429:
                            refused += 1
                            delay = float(response.headers.get("Retry-After", "1"))
                            resume_at = max(resume_at, time.perf_counter() + delay)
                            continue
                        if response.status != 201:
                            raise RuntimeError(f"status {response.status}")
                        break

        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    seconds = time.perf_counter() - start
    print(json.dumps({"rows": len(rows), "requests": requests, "refused": refused, "seconds": seconds, "rps": requests / seconds}))


asyncio.run(main())
