# "20 septembre 2017": month names are not capitalised in French.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
