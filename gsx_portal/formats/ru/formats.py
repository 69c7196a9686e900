# "20 сентября 2017": the month declines after the day (genitive, "E").
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
