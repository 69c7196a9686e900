"""The portal's date style in each language (FORMAT_MODULE_PATH): "20 September 2017".

Russian declines the month after a day number ("20 сентября 2017"): its format uses "E", the
genitive form; French and English keep "F". Templates and code write dates with DATE_FORMAT
(``|date:"DATE_FORMAT"``, ``date_format(value)``), never a hard-coded "j F Y".
"""
