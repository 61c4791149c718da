"""`gkml import`: Excel and Word catalog tables → catalog YAML, losing nothing.

readers (file I/O, after safety checks) → grid (cells + merges) → detect (tables, headers,
columns) → mapping (rows → items, notes) → assemble (catalog-level values, ids, source) →
yamlout (editable YAML) → report (the review list). Only readers and safety touch files.
"""

# Codes this package reports (review notes GK80x–GK83x, refusals GK849–GK862), for `gkml rules`.
PRODUCES = ("GK801", "GK802", "GK803", "GK804", "GK805", "GK806", "GK807", "GK808", "GK809", "GK810",
            "GK811", "GK812", "GK813", "GK814", "GK820", "GK821", "GK822", "GK823", "GK830", "GK831",
            "GK849", "GK850", "GK851", "GK852", "GK853", "GK854", "GK855", "GK856", "GK857", "GK858", "GK859",
            "GK860", "GK861", "GK862")
