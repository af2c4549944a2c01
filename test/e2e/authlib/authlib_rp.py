"""A relying party written with Authlib (Python): the code flow with PKCE against the provider.

Driven by test/e2e/authlib/authlib-rp.test.ts over stdin/stdout, one JSON object per line:
  1. prints {"authorization_url": ...}; the test logs in with its scripted browser
  2. reads the redirect URL the provider sent the browser to
  3. exchanges the code (client_secret_basic), validates the id_token with the provider's JWKS,
     calls userinfo, refreshes, and prints {"result": {...}} with what it saw and the
     RP-initiated logout URL (OpenID Connect RP-Initiated Logout 1.0 §2).
Errors are printed as {"error": "..."} and exit with status 1.
"""
import json
import sys
import traceback
from urllib.parse import parse_qs, urlencode, urlparse

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.oidc.core import CodeIDToken


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    issuer, client_id, client_secret, redirect_uri, post_logout = sys.argv[1:6]
    meta = requests.get(issuer + "/.well-known/openid-configuration", timeout=10).json()
    if meta["issuer"] != issuer:
        raise RuntimeError("issuer mismatch in discovery")
    client = OAuth2Session(
        client_id, client_secret, scope="openid profile", redirect_uri=redirect_uri,
        code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic",
    )
    verifier = generate_token(48)
    nonce = generate_token(20)
    url, state = client.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
    emit({"authorization_url": url})

    redirect = sys.stdin.readline().strip()
    params = parse_qs(urlparse(redirect).query)
    # RFC 9207: the authorization response names its issuer.
    if params.get("iss") != [issuer]:
        raise RuntimeError("iss in the authorization response is %r" % params.get("iss"))
    token = client.fetch_token(meta["token_endpoint"], authorization_response=redirect, state=state, code_verifier=verifier)

    jwks = JsonWebKey.import_key_set(requests.get(meta["jwks_uri"], timeout=10).json())
    claims = jwt.decode(
        token["id_token"], jwks, claims_cls=CodeIDToken,
        claims_options={"iss": {"essential": True, "value": issuer}},
        claims_params={"nonce": nonce, "client_id": client_id, "access_token": token["access_token"]},
    )
    claims.validate(leeway=5)

    userinfo = client.get(meta["userinfo_endpoint"]).json()
    refreshed = client.refresh_token(meta["token_endpoint"])
    logout_url = meta["end_session_endpoint"] + "?" + urlencode({
        "id_token_hint": token["id_token"], "post_logout_redirect_uri": post_logout, "state": "bye-authlib",
    })
    emit({"result": {
        "token_type": token["token_type"],
        "id_token_claims": dict(claims),
        "userinfo": userinfo,
        "first_access_token": token["access_token"],
        "first_refresh_token": token.get("refresh_token"),
        "refreshed_access_token": refreshed["access_token"],
        "refreshed_refresh_token": refreshed.get("refresh_token"),
        "logout_url": logout_url,
    }})


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # reported to the test, which fails with it
        emit({"error": "%s: %s" % (type(e).__name__, e), "trace": traceback.format_exc()})
        sys.exit(1)
