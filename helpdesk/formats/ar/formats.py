"""Arabic number and date formats for staff pages.

Django's Arabic locale writes 225.6 as «225,6», which readers in Oman (Latin digits
on official pages) take for two hundred and twenty-five thousand six hundred. With
Latin digits the decimal point stays a point; the rest follows Django's Arabic.
"""

DATE_FORMAT = "j F، Y"
TIME_FORMAT = "g:i A"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d\u200f/m\u200f/Y"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
