"""A Redis cache that degrades to "no cache" while Redis is unreachable, so pages keep working when the
cache server is down (a miss instead of a 500). Rate limits and debouncing are best effort meanwhile."""

import functools
import logging

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

try:  # redis-py is installed with celery[redis]
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    UNAVAILABLE: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError, OSError)
except ImportError:  # pragma: no cover
    UNAVAILABLE = (OSError,)


def _degrade(default=None):
    def wrap(method):
        @functools.wraps(method)
        def inner(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as error:
                logger.warning(
                    "cache unavailable", extra={"operation": method.__name__, "error": type(error).__name__}
                )
                return default(*args, **kwargs) if callable(default) else default

        return inner

    return wrap


def _get_default(key, default=None, *args, **kwargs):
    return default


class ResilientRedisCache(RedisCache):
    get = _degrade(_get_default)(RedisCache.get)
    set = _degrade(None)(RedisCache.set)
    # "Stored" while Redis is down, so locks built on add() (allauth's rate limits) let requests through.
    add = _degrade(True)(RedisCache.add)
    touch = _degrade(False)(RedisCache.touch)
    delete = _degrade(False)(RedisCache.delete)
    get_many = _degrade(lambda *args, **kwargs: {})(RedisCache.get_many)
    set_many = _degrade(lambda *args, **kwargs: [])(RedisCache.set_many)
    delete_many = _degrade(None)(RedisCache.delete_many)
    has_key = _degrade(False)(RedisCache.has_key)
    clear = _degrade(None)(RedisCache.clear)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as error:
            logger.warning("cache unavailable", extra={"operation": "incr", "error": type(error).__name__})
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from error
