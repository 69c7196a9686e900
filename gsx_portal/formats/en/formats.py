# "20 September 2017", as the summaries write it.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
