"""X's webhook security and OAuth 1.0a signing, on published test vectors."""

from __future__ import annotations

from loket.channels.connectors.x.signing import (
    crc_response_token,
    is_valid,
    oauth1_header,
    signature,
)

# X's public sample consumer secret, with the vectors computed for the platform research.
SAMPLE_SECRET = "z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu"
SAMPLE_BODY = b'{"for_user_id":"2244994945","tweet_create_events":[]}'
SAMPLE_SIGNATURE = "sha256=CpOc2dZ+JrkFhzkAW3gWETdo1w8Mx1i/MpqTbkrylcw="


def test_the_crc_answer_matches_the_vector() -> None:
    token = crc_response_token("9b4507b3-9040-4669-9ca3-6b94edb50553", SAMPLE_SECRET)
    assert token == "sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8="


def test_the_delivery_signature_matches_the_vector() -> None:
    assert signature(SAMPLE_BODY, SAMPLE_SECRET) == SAMPLE_SIGNATURE
    assert is_valid(SAMPLE_SIGNATURE, SAMPLE_BODY, SAMPLE_SECRET)


def test_signatures_are_checked_on_the_exact_bytes() -> None:
    assert is_valid("SHA256=" + SAMPLE_SIGNATURE[7:], SAMPLE_BODY, SAMPLE_SECRET)
    assert is_valid(f"  {SAMPLE_SIGNATURE} ", SAMPLE_BODY, SAMPLE_SECRET)
    # Re-serialising the JSON (spaces after separators) breaks the HMAC, as it must.
    respaced = b'{"for_user_id": "2244994945", "tweet_create_events": []}'
    assert not is_valid(SAMPLE_SIGNATURE, respaced, SAMPLE_SECRET)
    assert not is_valid(SAMPLE_SIGNATURE, SAMPLE_BODY, "another secret")
    # base64 is case-sensitive: a hex-style lower-casing is not the same signature.
    assert not is_valid(SAMPLE_SIGNATURE.lower(), SAMPLE_BODY, SAMPLE_SECRET)
    assert not is_valid(None, SAMPLE_BODY, SAMPLE_SECRET)
    assert not is_valid("", SAMPLE_BODY, SAMPLE_SECRET)
    assert not is_valid("sha1=abc", SAMPLE_BODY, SAMPLE_SECRET)
    assert not is_valid(SAMPLE_SIGNATURE, SAMPLE_BODY, "")


def test_oauth1_matches_the_documented_example() -> None:
    # The worked example of X's "Creating a signature" guide (its public sample keys).
    header = oauth1_header(
        method="POST",
        url="https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
        consumer_key="xvz1evFS4wEEPTGEFPHBog",
        consumer_secret="kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
        token_secret="LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
        form={"status": "Hello Ladies + Gentlemen, a signed OAuth request!"},
        nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
        timestamp=1318622958,
    )
    assert header.startswith("OAuth ")
    assert 'oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"' in header
    assert 'oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog"' in header
    assert 'oauth_signature_method="HMAC-SHA1"' in header


def test_oauth1_nonces_differ_per_request() -> None:
    keys = {
        "method": "GET",
        "url": "https://api.x.com/2/dm_events",
        "consumer_key": "ck",
        "consumer_secret": "cs",
        "token": "t",
        "token_secret": "ts",
    }
    assert oauth1_header(**keys) != oauth1_header(**keys)
