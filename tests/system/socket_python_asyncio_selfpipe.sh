#!/usr/bin/env bash
# Issue 10: asyncio's event loop wakes itself through a self-pipe that is a
# socketpair: asyncio.sleep, call_soon_threadsafe from a thread, a line out.
. "$(dirname "$0")/lib.sh"
exec "$DIFFTEST" --expect-status 0 -- /usr/bin/python3 -c '
import asyncio, threading

async def main():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(0.01)
    done = asyncio.Event()
    got = []
    def from_thread():
        got.append("thread")
        done.set()
    t = threading.Thread(target=lambda: loop.call_soon_threadsafe(from_thread))
    t.start()
    await asyncio.wait_for(done.wait(), 10)
    t.join()
    fut = loop.run_in_executor(None, sum, range(100))
    print("asyncio", got, await fut)

asyncio.run(main())
print("done")
'
