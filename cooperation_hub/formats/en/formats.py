"""How dates read in English on the site, its e-mails and its admin.

Django's English defaults are American and abbreviated ("Nov. 28, 2026", "12/02/2026"), while the
site's own sentences write "28 November 2026" (a digest's period, a synthesis week): a reader met
three formats on one walk, and "12/02/2026" reads as 12 February to most of the network's cities.
Day, month, year, as the French pages have them; the short forms name the month, so that no date
is ambiguous. Only how dates are shown changes: what forms accept is Django's default.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
