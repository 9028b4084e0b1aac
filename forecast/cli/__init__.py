"""The thin command line (``python -m forecast``)."""
