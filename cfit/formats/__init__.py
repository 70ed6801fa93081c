"""Formats where Django's own differ from what a European procurer expects.

Django reads `<language>/formats.py` here first, then its own (FORMAT_MODULE_PATH);
a name not set here keeps Django's value.
"""
