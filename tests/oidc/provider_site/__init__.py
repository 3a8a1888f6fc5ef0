"""A stand-alone OpenID Connect provider (django-oidc-provider) for Loket's login tests.

A separate Django project with its own settings and database: the tests start it in a
subprocess with this directory's parent on PYTHONPATH. It never imports Loket.
"""
