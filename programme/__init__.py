"""The programme itself: why the company does it (the charter), what it aims for this year
(targets and their progress), whether its corrective actions worked (effectiveness
checks), the quarterly golden-rules review and management review pack, and who led it
when. It reads the figures of every app below it and changes them only through their
services."""
