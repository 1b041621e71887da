"""Japanese formats that differ from Django's: a space between the date and the time
("2026年12月6日 13:44", not "2026年12月6日13:44"). Everything else falls back to Django's ``ja``."""

DATETIME_FORMAT = "Y年n月j日 G:i"
