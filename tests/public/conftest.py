"""Fixtures of the public portal tests: published rounds with known results (see
``tests.public.scene``)."""

from __future__ import annotations

import uuid

import pytest
import redis

from evaluations.models import Instrument
from tests import factories
from tests.public.scene import Scene, make_scene
from tests.services import service_url


@pytest.fixture
def instrument(db) -> Instrument:
    return factories.make_instrument(code="instrumen-2024", is_default=True)


@pytest.fixture
def published(instrument, kota_bekasi, kota_bandung) -> Scene:
    return make_scene(instrument, kota_bekasi, kota_bandung)


@pytest.fixture
def shared_redis(settings):
    """Redis as the shared cache, with the data version in it (production with
    REDIS_URL), under a key prefix of its own; needs TEST_REDIS_URL (.ci/run starts one)."""
    url = service_url("TEST_REDIS_URL")
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    settings.PUBLIC_VERSION_IN_CACHE = True
    client = redis.Redis.from_url(url)
    yield client, prefix
    keys = client.keys(f"{prefix}:*")
    if keys:
        client.delete(*keys)
