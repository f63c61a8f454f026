import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured

from gongyou.core.crypto import KeyRing, generate_key

INDEX = generate_key()


def test_round_trip_and_random_nonces():
    ring = KeyRing(f"k1:{generate_key()}", INDEX)
    a, b = (
        ring.encrypt("13812345678", context="phone"),
        ring.encrypt("13812345678", context="phone"),
    )
    assert a != b and a.startswith("k1$")
    assert ring.decrypt(a, context="phone") == "13812345678"


def test_context_is_bound():
    ring = KeyRing(f"k1:{generate_key()}", INDEX)
    token = ring.encrypt("110105", context="national_id")
    with pytest.raises(InvalidTag):
        ring.decrypt(token, context="phone")


def test_rotation_old_keys_still_decrypt():
    old, new = generate_key(), generate_key()
    token = KeyRing(f"k1:{old}", INDEX).encrypt("secret", context="x")
    ring = KeyRing(f"k2:{new},k1:{old}", INDEX)
    assert ring.decrypt(token, context="x") == "secret"
    assert ring.needs_rotation(token) and not ring.needs_rotation(
        ring.encrypt("secret", context="x")
    )


def test_index_is_keyed_and_deterministic():
    a, b = KeyRing(f"k1:{generate_key()}", INDEX), KeyRing(f"k1:{generate_key()}", generate_key())
    assert a.index("x", context="c") == a.index("x", context="c") != b.index("x", context="c")


@pytest.mark.parametrize(
    ("spec", "index"),
    [("", "index"), ("k1:AAAA", "index"), ("nocolon", "index"), ("key", "")],
    ids=["no-keys", "short-key", "no-id", "no-index-key"],
)
def test_bad_configuration_is_refused(spec, index):
    spec = f"k1:{generate_key()}" if spec == "key" else spec
    with pytest.raises(ImproperlyConfigured):
        KeyRing(spec, INDEX if index == "index" else index)
