import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured

from gongyou.core import crypto
from gongyou.core.crypto import KeyRing, MissingPiiKey, generate_key, key_id_of

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


def test_key_ids_are_checked():
    key = generate_key()
    with pytest.raises(ImproperlyConfigured, match="twice"):
        KeyRing(f"k1:{key},k1:{generate_key()}", INDEX)
    with pytest.raises(ImproperlyConfigured, match="base64"):
        KeyRing("k1:not*base64", INDEX)
    with pytest.raises(ImproperlyConfigured, match="no key"):
        KeyRing(" , ", INDEX)
    with pytest.raises(ImproperlyConfigured, match="letters and digits"):
        KeyRing(f"k$1:{key}", INDEX)
    assert KeyRing(f"k2:{key},k1:{generate_key()}", INDEX).key_ids == ["k2", "k1"]


def test_a_retired_key_gives_a_clear_error():
    old, new = generate_key(), generate_key()
    token = KeyRing(f"k1:{old}", INDEX).encrypt("secret", context="x")
    with pytest.raises(MissingPiiKey, match=r"PII key 'k1'.*not in GONGYOU_PII_KEYS.*pii-rekey"):
        KeyRing(f"k2:{new}", INDEX).decrypt(token, context="x")


def test_reencrypt_moves_old_values_to_the_primary_key_only():
    old, new = generate_key(), generate_key()
    token = KeyRing(f"k1:{old}", INDEX).encrypt("secret", context="phone")
    ring = KeyRing(f"k2:{new},k1:{old}", INDEX)
    moved = ring.reencrypt(token, context="phone")
    assert moved is not None and key_id_of(moved) == "k2" and key_id_of(token) == "k1"
    assert KeyRing(f"k2:{new}", INDEX).decrypt(moved, context="phone") == "secret"
    assert ring.reencrypt(moved, context="phone") is None
    assert ring.reencrypt("", context="phone") is None and key_id_of("") == ""


def test_settings_change_resets_the_cached_ring(settings):
    before = crypto.primary_key_id()
    settings.PII_KEYS = f"z9:{generate_key()},{settings.PII_KEYS}"
    assert crypto.primary_key_id() == "z9" != before


def test_encrypted_fields_are_found_in_every_app():
    found = {(m._meta.label, f, c) for m, f, c in crypto.encrypted_fields()}
    assert {
        ("workers.Worker", "national_id_enc", "national_id"),
        ("workers.Worker", "phone_enc", "phone"),
        ("portal.PortalAccount", "phone_enc", "phone"),
        ("portal.SignInCode", "phone_enc", "phone"),
        ("portal.SelfRegistration", "national_id_enc", "national_id"),
    } <= found
