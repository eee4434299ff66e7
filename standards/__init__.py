"""The living library of service standards.

Versioned standards with step-by-step instructions per department and position; a
published version never changes (its text is what people signed). Staff acknowledge
each current version (with a knowledge check and a signature), managers review them on
a schedule and check that they are applied. A publication is announced with
``standards.signals.version_published`` for the apps that build on the library.
"""
