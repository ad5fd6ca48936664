"""An asyncio event loop that never starts a thread, for contexts built with ``allowCreateThread(false)``.

asyncio's standard loop resolves host names with ``loop.getaddrinfo``, which runs ``socket.getaddrinfo`` in the
loop's default thread pool (``run_in_executor(None, ...)``): the first ``await client.get(url)`` of an
``httpx.AsyncClient`` (through anyio) would fail with "Creating threads is not allowed", even for an IP address
(``asyncio`` skips resolution only when ``socket.inet_pton`` accepts the host). This loop resolves inline instead
(the statement waits for the resolver, as a synchronous client would) and runs the default executor's jobs
inline too. A job sent to an explicit executor still needs a thread and still fails.
"""

import asyncio
import socket


class ThreadFreeEventLoop(asyncio.SelectorEventLoop):

    async def getaddrinfo(self, host, port, *, family=0, type=0, proto=0, flags=0):
        return socket.getaddrinfo(host, port, family, type, proto, flags)

    async def getnameinfo(self, sockaddr, flags=0):
        return socket.getnameinfo(sockaddr, flags)

    def run_in_executor(self, executor, func, *args):
        if executor is not None:
            return super().run_in_executor(executor, func, *args)
        future = self.create_future()
        try:
            future.set_result(func(*args))
        except Exception as error:
            future.set_exception(error)
        return future


class ThreadFreeEventLoopPolicy(asyncio.DefaultEventLoopPolicy):
    _loop_factory = ThreadFreeEventLoop


def install(asyncio_module=asyncio):
    if not isinstance(asyncio_module.get_event_loop_policy(), ThreadFreeEventLoopPolicy):
        asyncio_module.set_event_loop_policy(ThreadFreeEventLoopPolicy())
