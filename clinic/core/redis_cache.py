"""Django's Redis cache, with one client per connection pool instead of one per call.

Django builds a new `redis.Redis` for every get and set, and each build fills a table of
several hundred response callbacks: a fifth of a millisecond of CPU per cache trip, several
times on every request. A client is safe to share between threads (its pool hands out the
connections), so each pool's is built once.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _SharedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClients
