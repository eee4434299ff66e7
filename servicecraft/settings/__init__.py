"""Settings package: ``base`` holds everything shared; ``local``, ``test`` and
``production`` adjust it for each place servicecraft runs."""
