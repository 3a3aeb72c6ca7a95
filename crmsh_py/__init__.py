"""crmsh_py: a Python cluster shell in the tradition of Pacemaker's crm."""

__version__ = "0.1.0"


def _use_bundle() -> None:
    """Serve our modules from the precompiled bundle an installed package carries (crmsh_py.bundle)."""
    from os import environ, path

    here = path.dirname(__file__)
    # only an installed package has one; a source checkout or an editable install never does
    if environ.get("CRMSH_PY_NO_BUNDLE") or not path.exists(here + "/_bundle.bin"):
        return
    from crmsh_py.bundle import install

    install(here, _seal)


def _seal(bundle: str, base: str) -> bool:
    """Seal a freshly installed bundle (once, in the first process after the install)."""
    from crmsh_py.bundle_build import seal

    return seal(bundle, base)


_use_bundle()
